import { describe, expect, it } from 'vitest';
import { countOf, monthOf, openCases, percent, regionTree, series, stageRates } from './dashboard_data';

describe('overview figures', () => {
  it('fills days without passages with zero', () => {
    expect(series({ '2026-11-30': 4 }, ['2026-11-29', '2026-11-30'])).toEqual([0, 4]);
  });

  it('adds up the 1-3-5 stages over the estates', () => {
    const stage = (counted: number, on_time: number) => ({ counted, on_time });
    const rates = stageRates({
      total: 3,
      estates: [
        { acknowledge: stage(2, 2), dispatch: stage(2, 1), arrive: stage(0, 0) },
        { acknowledge: stage(2, 1), dispatch: stage(2, 2), arrive: stage(0, 0) },
      ],
    });
    expect(rates).toEqual({ acknowledge: 0.75, dispatch: 0.75, arrive: null });
  });

  it('finds this month among the policing months', () => {
    const months = [
      { month: '2026-10', estates: 2, zero_incident_estates: 1, zero_incident_share: 0.5 },
      { month: '2026-11', estates: 2, zero_incident_estates: 2, zero_incident_share: 1 },
    ];
    expect(monthOf(months, '2026-11-23')?.zero_incident_share).toBe(1);
    expect(monthOf(months, '2026-12-01')).toBeUndefined();
  });

  it('writes shares and capped counts', () => {
    expect(percent(0.8333)).toBe('83.3%');
    expect(percent(null)).toBe('—');
    expect(countOf({ items: [1, 2], next: null })).toBe('2');
    expect(countOf({ items: [1, 2], next: '2' })).toBe('2+');
  });

  it('counts as open the cases not yet resolved', () => {
    expect(openCases({ submitted: 2, in_progress: 3, resolved: 4, closed: 10, merged: 1 })).toBe(5);
    expect(openCases({})).toBe(0);
  });

  it('orders the regions as a tree under the highest one the user sees', () => {
    const region = (id: number, parent_id: number | null) => ({ id, name: `r${id}`, level: 'street', parent_id });
    // The user's own region (2) has a parent they cannot see (1).
    const tree = regionTree([region(5, 3), region(3, 2), region(2, 1), region(4, 2)]);
    expect(tree.map((t) => [t.region.id, t.depth])).toEqual([
      [2, 0],
      [3, 1],
      [5, 2],
      [4, 1],
    ]);
  });
});
