import { describe, expect, it } from 'vitest';
import { ApiError } from '../shared/api';
import { doorTitle, groupByEstate, refusalReason, type MyDoor } from './doors';

const door = (id: string, estate: [number, string], name: string, building: string | null = null): MyDoor => ({
  id,
  name,
  kind: 'door',
  estate_id: estate[0],
  estate_name: estate[1],
  building_id: building ? 1 : null,
  building_name: building,
  online: true,
});

describe('groupByEstate', () => {
  it('keeps the estates and their doors in the order the server sent them', () => {
    const groups = groupByEstate([
      door('a', [2, '锦绣花园'], '南门'),
      door('b', [2, '锦绣花园'], '1单元', '3号楼'),
      door('c', [5, '阳光小区'], '北门'),
    ]);
    expect(groups.map((g) => g.estate)).toEqual(['锦绣花园', '阳光小区']);
    expect(groups[0].doors.map((d) => d.id)).toEqual(['a', 'b']);
  });
  it('is empty without doors', () => {
    expect(groupByEstate([])).toEqual([]);
  });
});

describe('doorTitle', () => {
  it('names the building of a door inside one', () => {
    expect(doorTitle(door('b', [2, '锦绣花园'], '1单元', '3号楼'))).toBe('3号楼 · 1单元');
  });
  it('does not repeat a building the name already says', () => {
    expect(doorTitle(door('b', [2, '锦绣花园'], '3号楼1单元', '3号楼'))).toBe('3号楼1单元');
  });
  it('is the name alone at a gate', () => {
    expect(doorTitle(door('a', [2, '锦绣花园'], '南门'))).toBe('南门');
  });
});

describe('refusalReason', () => {
  it('reads the reason of a refusal', () => {
    const refused = new ApiError(403, 'forbidden', '您无权开启此门 (…)', undefined, undefined, 'no_access_group');
    expect(refusalReason(refused)).toBe('no_access_group');
  });
  it('is null for other errors', () => {
    expect(refusalReason(new ApiError(429, 'rate_limited', '…', undefined, undefined, 'rate_limited'))).toBeNull();
    expect(refusalReason(new Error('x'))).toBeNull();
  });
});
