import { describe, expect, it } from 'vitest';
import { clock, formatTime, lastDays, offsetOf, zoneDate, zoneTimestamp } from './time';

describe('times in the estates zone', () => {
  it('reads the offset the server writes', () => {
    expect(offsetOf('2026-12-01T12:21:15.000+08:00')).toBe(480);
    expect(offsetOf('2026-12-01T04:21:15Z')).toBe(0);
    expect(offsetOf('2026-12-01T04:21:15-05:30')).toBe(-330);
    expect(offsetOf('2026-12-01')).toBeNull();
  });

  it('shows an instant as wall-clock time at the given offset, whatever the browser zone', () => {
    expect(formatTime('2026-11-30T20:05:09Z', { offset: 480 })).toBe('2026-12-01 04:05');
    expect(formatTime('2026-11-30T20:05:09Z', { offset: 480, seconds: true })).toBe('2026-12-01 04:05:09');
    expect(formatTime('2026-12-01T04:05:09+08:00', { offset: 0 })).toBe('2026-11-30 20:05');
    expect(formatTime(null)).toBe('—');
  });

  it('lists the last days up to today in the zone, oldest first', () => {
    const now = Date.parse('2026-11-30T17:00:00Z'); // 01:00 on 1 December in China
    expect(zoneDate(now, 480)).toBe('2026-12-01');
    expect(lastDays(3, now, 480)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);
  });

  it('writes durations as minutes and seconds', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(75)).toBe('1:15');
    expect(clock(-5)).toBe('0:05');
    expect(clock(3725)).toBe('1:02:05');
  });

  it('sends a time typed in the zone with its offset', () => {
    expect(zoneTimestamp('2026-12-02T22:00', 480)).toBe('2026-12-02T22:00:00+08:00');
    expect(zoneTimestamp('2026-12-02T22:00:30', -330)).toBe('2026-12-02T22:00:30-05:30');
  });
});
