import { describe, expect, it } from 'vitest';
import { currentStage, stageClocks, type IncidentTimes } from './response_timer';

// A fake clock: every reading is an offset in seconds from when the incident was raised.
const raised = Date.parse('2026-11-23T09:00:00+08:00');
const at = (seconds: number) => raised + seconds * 1000;
const iso = (seconds: number) => new Date(at(seconds)).toISOString();

function incident(fields: Partial<IncidentTimes>): IncidentTimes {
  return { status: 'raised', raised_at: '2026-11-23T09:00:00+08:00', ...fields };
}

describe('the 1-3-5 minute clocks', () => {
  it('counts the acknowledge minute down while nobody has acknowledged', () => {
    expect(currentStage(incident({}), at(18))).toEqual({ stage: 'acknowledge', state: 'running', seconds: 42 });
    expect(currentStage(incident({}), at(60))).toEqual({ stage: 'acknowledge', state: 'running', seconds: 0 });
  });

  it('never shows more than the target when the browser clock is behind the server', () => {
    expect(currentStage(incident({}), at(-3))).toEqual({ stage: 'acknowledge', state: 'running', seconds: 60 });
  });

  it('counts up once the stage is past its target', () => {
    expect(currentStage(incident({}), at(75))).toEqual({ stage: 'acknowledge', state: 'overdue', seconds: 15 });
  });

  it('moves to the dispatch clock, still counted from when the incident was raised', () => {
    const acknowledged = incident({ status: 'acknowledged', acknowledged_at: iso(40) });
    expect(currentStage(acknowledged, at(100))).toEqual({ stage: 'dispatch', state: 'running', seconds: 80 });
    const clocks = stageClocks(acknowledged, at(100));
    expect(clocks[0]).toEqual({ stage: 'acknowledge', state: 'met', seconds: 40 });
    expect(clocks[2]).toEqual({ stage: 'arrive', state: 'running', seconds: 200 });
  });

  it('marks a stage reached after its target as late', () => {
    const clocks = stageClocks(incident({ status: 'dispatched', acknowledged_at: iso(30), dispatched_at: iso(200) }), at(210));
    expect(clocks[1]).toEqual({ stage: 'dispatch', state: 'late', seconds: 200 });
  });

  it('reads list items, which carry only the status and the late stages', () => {
    const item = incident({ status: 'dispatched', late_stages: ['dispatch'] });
    const clocks = stageClocks(item, at(250));
    expect(clocks.map((c) => c.state)).toEqual(['met', 'late', 'running']);
    expect(currentStage(item, at(250))).toEqual({ stage: 'arrive', state: 'running', seconds: 50 });
  });

  it('stops the clocks of a closed incident', () => {
    const closed = incident({ status: 'false_alarm', acknowledged_at: iso(20), closed_at: iso(90) });
    expect(currentStage(closed, at(5000))).toBeNull();
    expect(stageClocks(closed, at(5000)).map((c) => c.state)).toEqual(['met', 'skipped', 'skipped']);
    const lateClose = incident({ status: 'false_alarm', closed_at: iso(400) });
    expect(stageClocks(lateClose, at(5000)).map((c) => c.state)).toEqual(['late', 'late', 'late']);
  });

  it('uses the targets fixed on the incident when the server sent them', () => {
    const custom = incident({ timers: [{ stage: 'acknowledge', target_seconds: 30 }] });
    expect(currentStage(custom, at(40))).toEqual({ stage: 'acknowledge', state: 'overdue', seconds: 10 });
  });
});
