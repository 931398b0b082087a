import { describe, expect, it } from 'vitest';
import { byDay, type Passage } from './trajectory_days';

const at = (ts: string): Passage => ({ ts, kind: 'access', source: 'access', device_id: 'd', estate_id: 1, event_id: ts });

describe('trajectory by day', () => {
  it('groups passages by the day in the estates zone, not UTC', () => {
    // 23:30 and 00:10 in Beijing are both 15:30 / 16:10 UTC on the first day.
    const days = byDay([at('2026-11-30T23:30:00+08:00'), at('2026-12-01T00:10:00+08:00'), at('2026-12-01T08:00:00+08:00')], 480);
    expect(days.map((d) => [d.date, d.items.length])).toEqual([
      ['2026-11-30', 1],
      ['2026-12-01', 2],
    ]);
  });

  it('reads times written in UTC in the estates zone', () => {
    expect(byDay([at('2026-11-30T16:10:00Z')], 480)[0].date).toBe('2026-12-01');
  });

  it('gives no days for no passages', () => {
    expect(byDay([], 480)).toEqual([]);
  });
});
