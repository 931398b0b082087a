import { describe, expect, it } from 'vitest';
import { mergeLive } from './live_list';

interface Row {
  id: number;
  status: string;
  title?: string;
}
const open = (r: Row) => r.status !== 'closed';

describe('a list kept current by the live stream', () => {
  const list: Row[] = [
    { id: 3, status: 'open', title: 'c' },
    { id: 2, status: 'open', title: 'b' },
  ];

  it('puts a new item on top', () => {
    expect(mergeLive(list, { id: 4, status: 'open' }, open).map((r) => r.id)).toEqual([4, 3, 2]);
  });

  it('replaces a known item where it is, keeping what the push left out', () => {
    expect(mergeLive(list, { id: 2, status: 'acknowledged' }, open)).toEqual([
      { id: 3, status: 'open', title: 'c' },
      { id: 2, status: 'acknowledged', title: 'b' },
    ]);
  });

  it('drops an item the list no longer shows, and ignores one it never had', () => {
    expect(mergeLive(list, { id: 3, status: 'closed' }, open).map((r) => r.id)).toEqual([2]);
    expect(mergeLive(list, { id: 9, status: 'closed' }, open)).toBe(list);
  });
});
