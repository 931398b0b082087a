import { describe, expect, it } from 'vitest';
import {
  alertingDevices,
  applyAlert,
  blockSize,
  fromView,
  kindShape,
  markers,
  markerState,
  movedTo,
  placeables,
  planView,
  stopsByDevice,
  toView,
  tracePlaces,
  type PlanAlert,
  type PlanDevice,
  type SitePlan,
} from './site_plan';

const estate = { id: 1, name: '金色家园', plan_width: 200, plan_height: 100 };

const device = (id: string, x: number | null, y: number | null, online = true, kind = 'camera'): PlanDevice => ({
  id,
  name: id,
  kind,
  building_id: null,
  position: 'point',
  plan_x: x,
  plan_y: y,
  online,
  last_seen: null,
});

const alert = (id: number, device_id: string | null, status = 'open', estate_id = 1): PlanAlert => ({
  id,
  kind: 'alarm',
  status,
  level: 'high',
  title: `alert ${id}`,
  estate_id,
  device_id,
  last_ts: '2026-11-30T21:15:00+08:00',
  count: 1,
});

describe('site plan geometry', () => {
  it('scales the plan to the drawing width with a margin, keeping its proportions', () => {
    const view = planView(estate, 448)!;
    expect(view.scale).toBe(2); // (448 - 2 × 24) / 200 m
    expect(view.height).toBe(248); // 100 m × 2 + 2 × 24
    expect(toView(view, 0, 0)).toEqual({ x: 24, y: 24 });
    expect(toView(view, 200, 100)).toEqual({ x: 424, y: 224 });
    expect(toView(view, 50, 25)).toEqual({ x: 124, y: 74 });
  });

  it('turns a spot clicked on the drawing back into metres on the plan', () => {
    const view = planView(estate, 448)!;
    expect(fromView(view, estate, 124, 74)).toEqual({ x: 50, y: 25 });
    expect(fromView(view, estate, 424, 224)).toEqual({ x: 200, y: 100 });
    for (const [x, y] of [
      [0, 0],
      [13.7, 81.3],
      [123.4, 67.9],
    ]) {
      const at = toView(view, x, y);
      expect(fromView(view, estate, at.x, at.y)).toEqual({ x, y });
    }
  });

  it('rounds a clicked spot to a tenth of a metre', () => {
    const view = planView(estate, 448)!;
    // 1 drawing unit is half a metre here: 24 + 2 × 12.34 lands on 12.34 m.
    expect(fromView(view, estate, 24 + 2 * 12.34, 24 + 2 * 7.06)).toEqual({ x: 12.3, y: 7.1 });
  });

  it('keeps a spot clicked in the margin on the edge of the plan', () => {
    const view = planView(estate, 448)!;
    expect(fromView(view, estate, 3, 240)).toEqual({ x: 0, y: 100 });
    expect(fromView(view, estate, 447, 10)).toEqual({ x: 200, y: 0 });
    // A size that is not a whole tenth: rounding must not step past the edge the server holds to.
    const odd = { ...estate, plan_width: 183.75 };
    expect(fromView(planView(odd, 448)!, odd, 447, 100).x).toBe(183.75);
  });

  it('draws nothing for an estate without a plan size', () => {
    expect(planView({ ...estate, plan_width: null })).toBeNull();
    expect(planView({ ...estate, plan_height: null })).toBeNull();
    expect(planView({ ...estate, plan_width: 0 })).toBeNull();
  });

  it('sizes building blocks from the nearest spacing, within bounds', () => {
    const b = (id: number, x: number, y: number) => ({ id, name: `${id}`, plan_x: x, plan_y: y });
    expect(blockSize([b(1, 0, 0), b(2, 30, 0), b(3, 0, 40)]).width).toBeCloseTo(18);
    expect(blockSize([b(1, 0, 0), b(2, 5, 0)]).width).toBe(6);
    expect(blockSize([b(1, 0, 0), b(2, 200, 0)]).width).toBe(30);
    expect(blockSize([b(1, 0, 0)])).toEqual({ width: 20, depth: 40 / 3 });
  });

  it('fans out devices that share a spot and leaves a lone device on its point', () => {
    const view = planView(estate, 448)!;
    const placed = markers(view, [device('door', 100, 0), device('barrier', 100, 0), device('cam', 50, 50), device('nowhere', null, null)], 10);
    expect(placed.map((m) => m.device.id)).toEqual(['door', 'barrier', 'cam']);
    const [door, barrier, cam] = placed;
    expect(cam).toMatchObject({ x: 124, y: 124 });
    // The gate is at (224, 24): the two devices sit on a ring of 10 around it, opposite each other.
    expect(door.x).toBeCloseTo(224);
    expect(door.y).toBeCloseTo(14);
    expect(barrier.x).toBeCloseTo(224);
    expect(barrier.y).toBeCloseTo(34);
  });
});

describe('placing on the plan', () => {
  const building = (id: number, x: number | null, y: number | null) => ({ id, name: `${id}号楼`, plan_x: x, plan_y: y });
  const plan: SitePlan = {
    estate,
    buildings: [building(1, 10, 10), building(2, null, null)],
    devices: [device('a', 1, 1), device('b', null, null), device('c', 2, 2), device('d', null, null)],
    alerts: [],
  };

  it('offers buildings, then devices, each with those not yet on the plan first', () => {
    const offered = placeables(plan, { buildings: true, devices: true });
    expect(offered.map((p) => [p.kind, p.id, p.placed])).toEqual([
      ['building', '2', false],
      ['building', '1', true],
      ['device', 'b', false],
      ['device', 'd', false],
      ['device', 'a', true],
      ['device', 'c', true],
    ]);
  });

  it('offers only what the user may edit', () => {
    expect(placeables(plan, { buildings: false, devices: true }).every((p) => p.kind === 'device')).toBe(true);
    expect(placeables(plan, { buildings: true, devices: false }).map((p) => p.id)).toEqual(['2', '1']);
    expect(placeables(plan, { buildings: false, devices: false })).toEqual([]);
  });

  it('moves the one building or device placed, and nothing else', () => {
    const [unplacedBuilding] = placeables(plan, { buildings: true, devices: false });
    const moved = movedTo(plan, unplacedBuilding, 40, 60.5);
    expect(moved.buildings.map((b) => [b.plan_x, b.plan_y])).toEqual([
      [10, 10],
      [40, 60.5],
    ]);
    expect(moved.devices).toBe(plan.devices);
    const again = movedTo(moved, { kind: 'device', id: 'a', name: 'a', placed: true }, 3, 4);
    expect(again.devices.map((d) => [d.id, d.plan_x, d.plan_y])).toEqual([
      ['a', 3, 4],
      ['b', null, null],
      ['c', 2, 2],
      ['d', null, null],
    ]);
    expect(again.buildings).toBe(moved.buildings);
  });
});

describe('marker state', () => {
  it('marks a device with an open alert alerting, whatever its health', () => {
    const alerting = alertingDevices([alert(1, 'smoke'), alert(2, 'door', 'closed'), alert(3, null)]);
    expect([...alerting]).toEqual(['smoke']);
    expect(markerState(device('smoke', 1, 1, false), alerting)).toBe('alerting');
    expect(markerState(device('door', 1, 1, true), alerting)).toBe('online');
    expect(markerState(device('cam', 1, 1, false), alerting)).toBe('offline');
  });

  it('tells kinds apart by shape', () => {
    expect(kindShape('face_camera')).toBe('circle');
    expect(kindShape('barrier')).toBe('square');
    expect(kindShape('sos_button')).toBe('triangle');
    expect(kindShape('display')).toBe('diamond');
    expect(kindShape('something_new')).toBe('diamond');
  });

  it('takes a pushed alert onto the plan, updates it in place, and drops it when closed', () => {
    const plan: SitePlan = { estate, buildings: [], devices: [], alerts: [alert(1, 'a')] };
    const added = applyAlert(plan, alert(2, 'smoke'));
    expect(added.alerts.map((a) => a.id)).toEqual([2, 1]);
    expect(markerState(device('smoke', 1, 1), alertingDevices(added.alerts))).toBe('alerting');
    const counted = applyAlert(added, { ...alert(1, 'a', 'acknowledged'), count: 3 });
    expect(counted.alerts.map((a) => [a.id, a.status, a.count])).toEqual([
      [2, 'open', 1],
      [1, 'acknowledged', 3],
    ]);
    const closed = applyAlert(counted, alert(2, 'smoke', 'closed'));
    expect(closed.alerts.map((a) => a.id)).toEqual([1]);
    expect(markerState(device('smoke', 1, 1), alertingDevices(closed.alerts))).toBe('online');
  });

  it('ignores alerts of other estates', () => {
    const plan: SitePlan = { estate, buildings: [], devices: [], alerts: [] };
    expect(applyAlert(plan, alert(5, 'x', 'open', 2))).toBe(plan);
  });
});

describe('trajectory places', () => {
  const at = (device_id: string, estate_id: number, ts: string) => ({ device_id, estate_id, ts });

  it('numbers the stops of each estate in time order, estates in the order first entered', () => {
    const traces = tracePlaces([
      at('b-gate', 2, '2026-11-30T09:00:00+08:00'),
      at('a-gate', 1, '2026-11-30T08:00:00+08:00'),
      at('a-unit', 1, '2026-11-30T08:05:00+08:00'),
      at('a-gate', 1, '2026-11-30T18:00:00+08:00'),
    ]);
    expect(traces.map((t) => t.estate_id)).toEqual([1, 2]);
    expect(traces[0].stops.map((s) => [s.n, s.device_id])).toEqual([
      [1, 'a-gate'],
      [2, 'a-unit'],
      [3, 'a-gate'],
    ]);
    expect(traces[1].stops.map((s) => [s.n, s.device_id])).toEqual([[1, 'b-gate']]);
  });

  it('counts passing the same device twice in a row as one stop', () => {
    const [trace] = tracePlaces([
      at('gate', 1, '2026-11-30T08:00:00+08:00'),
      at('gate', 1, '2026-11-30T08:00:02+08:00'),
      at('unit', 1, '2026-11-30T08:03:00+08:00'),
    ]);
    expect(trace.stops.map((s) => s.device_id)).toEqual(['gate', 'unit']);
  });

  it('orders times written in different zones by the instant', () => {
    const [trace] = tracePlaces([at('later', 1, '2026-11-30T01:00:00Z'), at('earlier', 1, '2026-11-30T08:30:00+08:00')]);
    expect(trace.stops.map((s) => s.device_id)).toEqual(['earlier', 'later']);
  });

  it('labels a device passed more than once with each of its numbers', () => {
    const [trace] = tracePlaces([
      at('gate', 1, '2026-11-30T08:00:00+08:00'),
      at('unit', 1, '2026-11-30T08:05:00+08:00'),
      at('gate', 1, '2026-11-30T18:00:00+08:00'),
    ]);
    expect(Object.fromEntries(stopsByDevice(trace.stops))).toEqual({ gate: [1, 3], unit: [2] });
  });
});
