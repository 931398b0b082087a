// An estate's site plan as the console draws it: the registry's points (metres from the plan's
// top-left corner) scaled into the drawing, devices that share a spot fanned out around it so
// each can be seen and clicked, each device's state from device health and the open alerts, the
// numbered places a trajectory passed, and the point a click stands for when placing something.

export interface PlanEstate {
  id: number;
  name: string;
  address?: string | null;
  plan_width: number | null;
  plan_height: number | null;
}

export interface PlanBuilding {
  id: number;
  name: string;
  floors?: number | null;
  plan_x: number | null;
  plan_y: number | null;
}

export interface PlanDevice {
  id: string;
  name: string;
  kind: string;
  building_id: number | null;
  position: string | null;
  direction?: string | null;
  plan_x: number | null;
  plan_y: number | null;
  online: boolean;
  last_seen: string | null;
}

export interface PlanAlert {
  id: number;
  kind: string;
  status: string;
  level: string;
  title: string;
  estate_id: number | null;
  device_id?: string | null;
  last_ts: string | null;
  count: number;
}

export interface SitePlan {
  estate: PlanEstate;
  buildings: PlanBuilding[];
  devices: PlanDevice[];
  alerts: PlanAlert[];
}

// The drawing's frame: `scale` pixels of the drawing per metre, a margin of `pad` around the plan.
export interface View {
  width: number;
  height: number;
  scale: number;
  pad: number;
}

export const drawingWidth = 960;
const pad = 24;

// The drawing for a plan of the estate's size, `width` drawing units across; null when the estate
// has no plan size, which the page says in words instead of drawing a guess.
export function planView(estate: PlanEstate, width = drawingWidth): View | null {
  const w = estate.plan_width;
  const h = estate.plan_height;
  if (w == null || h == null || w <= 0 || h <= 0) return null;
  const scale = (width - 2 * pad) / w;
  return { width, height: Math.round(h * scale + 2 * pad), scale, pad };
}

export function toView(view: View, x: number, y: number): { x: number; y: number } {
  return { x: view.pad + x * view.scale, y: view.pad + y * view.scale };
}

// The registry's point for a spot clicked on the drawing: `toView` undone, rounded to 0.1 m as a
// surveyor would give it, and kept inside the plan, since the server refuses a point outside it
// and a click in the margin means the edge.
export function fromView(view: View, estate: PlanEstate, x: number, y: number): { x: number; y: number } {
  const metres = (v: number, size: number | null) => {
    const rounded = Math.round(((v - view.pad) / view.scale) * 10) / 10;
    return Math.min(size ?? Infinity, Math.max(0, rounded));
  };
  return { x: metres(x, estate.plan_width), y: metres(y, estate.plan_height) };
}

// The registry keeps one point per building; its block is drawn around it, sized from how close
// the buildings stand so that neighbours do not overlap: 60 % of the nearest spacing, within
// 6 to 30 metres, and two thirds as deep as it is wide.
export function blockSize(buildings: readonly PlanBuilding[]): { width: number; depth: number } {
  const points = buildings.filter(placed);
  let nearest = Infinity;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const d = Math.hypot(points[i].plan_x! - points[j].plan_x!, points[i].plan_y! - points[j].plan_y!);
      if (d > 0) nearest = Math.min(nearest, d);
    }
  }
  const width = Math.min(30, Math.max(6, nearest === Infinity ? 20 : nearest * 0.6));
  return { width, depth: (width * 2) / 3 };
}

export function placed(p: { plan_x: number | null; plan_y: number | null }): boolean {
  return p.plan_x != null && p.plan_y != null;
}

// A building or device that may be given a place on the plan; ids as the API's paths take them.
export interface Placeable {
  kind: 'building' | 'device';
  id: string;
  name: string;
  placed: boolean;
}

// What a user may place, buildings before devices, each with those not yet on the plan first:
// they are the ones waiting for a place.
export function placeables(plan: SitePlan, may: { buildings: boolean; devices: boolean }): Placeable[] {
  const of = (kind: Placeable['kind'], items: readonly (PlanBuilding | PlanDevice)[]) =>
    [...items.filter((p) => !placed(p)), ...items.filter(placed)].map((p) => ({ kind, id: String(p.id), name: p.name, placed: placed(p) }));
  return [...(may.buildings ? of('building', plan.buildings) : []), ...(may.devices ? of('device', plan.devices) : [])];
}

// The plan with one building or device moved to the point the registry now holds for it.
export function movedTo(plan: SitePlan, what: Placeable, x: number, y: number): SitePlan {
  const move = <T extends PlanBuilding | PlanDevice>(p: T): T => (String(p.id) === what.id ? { ...p, plan_x: x, plan_y: y } : p);
  return what.kind === 'building' ? { ...plan, buildings: plan.buildings.map(move) } : { ...plan, devices: plan.devices.map(move) };
}

export interface Marker {
  device: PlanDevice;
  x: number; // drawing units
  y: number;
}

// Devices at the same spot (a gate's door, barrier and camera) are fanned out on a ring around
// it, in the order given, `radius` drawing units away; a device alone stays on its point.
// Devices without a place are left out: the page lists them.
export function markers(view: View, devices: readonly PlanDevice[], radius = 14): Marker[] {
  const groups = new Map<string, PlanDevice[]>();
  for (const d of devices) {
    if (!placed(d)) continue;
    const key = `${d.plan_x}:${d.plan_y}`;
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  const out: Marker[] = [];
  for (const group of groups.values()) {
    const centre = toView(view, group[0].plan_x!, group[0].plan_y!);
    if (group.length === 1) {
      out.push({ device: group[0], ...centre });
      continue;
    }
    const ring = radius + 2 * Math.max(0, group.length - 6);
    group.forEach((device, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / group.length;
      out.push({ device, x: centre.x + ring * Math.cos(angle), y: centre.y + ring * Math.sin(angle) });
    });
  }
  return out;
}

export type MarkerState = 'alerting' | 'online' | 'offline';

// The device ids that open alerts point at.
export function alertingDevices(alerts: readonly PlanAlert[]): Set<string> {
  const ids = new Set<string>();
  for (const a of alerts) {
    if (a.status !== 'closed' && a.device_id) ids.add(a.device_id);
  }
  return ids;
}

// An open alert outweighs everything else; otherwise device health says online or offline.
export function markerState(device: PlanDevice, alerting: ReadonlySet<string>): MarkerState {
  if (alerting.has(device.id)) return 'alerting';
  return device.online ? 'online' : 'offline';
}

// Kinds are told apart by shape, states by colour, so that neither depends on colour alone.
export type Shape = 'circle' | 'square' | 'triangle' | 'diamond';
const shapes: Record<string, Shape> = {
  camera: 'circle',
  face_camera: 'circle',
  throwing_camera: 'circle',
  door: 'square',
  barrier: 'square',
  fence: 'triangle',
  sos_button: 'triangle',
  smoke: 'triangle',
  electrical: 'triangle',
  display: 'diamond',
};
export function kindShape(kind: string): Shape {
  return shapes[kind] ?? 'diamond';
}

// An alert pushed on the stream, applied to the plan's open alerts: a new one goes on top, a
// changed one replaces its old self, a closed one leaves. Alerts of other estates are ignored.
export function applyAlert(plan: SitePlan, alert: PlanAlert): SitePlan {
  if (alert.estate_id !== plan.estate.id) return plan;
  const rest = plan.alerts.filter((a) => a.id !== alert.id);
  const before = plan.alerts.find((a) => a.id === alert.id);
  if (alert.status === 'closed') return { ...plan, alerts: rest };
  const merged = before ? { ...before, ...alert } : alert;
  return { ...plan, alerts: before ? plan.alerts.map((a) => (a.id === alert.id ? merged : a)) : [merged, ...rest] };
}

export interface Passed {
  device_id: string;
  estate_id: number;
  ts: string;
}

export interface Stop {
  n: number; // 1, 2, … in the order passed, counted per estate
  device_id: string;
  ts: string;
}

export interface EstateTrace {
  estate_id: number;
  stops: Stop[];
}

// The places a trajectory passed, estate by estate in the order first entered, each estate's
// stops numbered in time order. Passing the same device again straight after (in, then out, or
// a face capture beside the door's record) is one stop, not two.
export function tracePlaces(items: readonly Passed[]): EstateTrace[] {
  const sorted = [...items].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  const traces = new Map<number, EstateTrace>();
  for (const item of sorted) {
    let trace = traces.get(item.estate_id);
    if (!trace) {
      trace = { estate_id: item.estate_id, stops: [] };
      traces.set(item.estate_id, trace);
    }
    const last = trace.stops[trace.stops.length - 1];
    if (last && last.device_id === item.device_id) continue;
    trace.stops.push({ n: trace.stops.length + 1, device_id: item.device_id, ts: item.ts });
  }
  return [...traces.values()];
}

// Stop numbers by device, for labelling a marker passed more than once ("2, 5").
export function stopsByDevice(stops: readonly Stop[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of stops) {
    const list = out.get(s.device_id);
    if (list) list.push(s.n);
    else out.set(s.device_id, [s.n]);
  }
  return out;
}
