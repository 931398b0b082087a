import { describe, expect, it } from 'vitest';
import { bodyOf, emptyValues, mayEdit, personSearch, recordKind, recordKinds, valuesOf } from './forms';
import { registryLists } from './lists';

const rooms = recordKind('rooms')!;
const devices = recordKind('devices')!;
const persons = recordKind('persons')!;

describe('registry forms', () => {
  it('has a form for every registry list the console shows', () => {
    for (const list of registryLists) expect(recordKind(list.name), list.name).toBeDefined();
    expect(recordKinds.map((k) => k.list).sort()).toEqual(registryLists.map((l) => l.name).sort());
  });

  it('sends a new record’s typed numbers and references as numbers and leaves empty fields out', () => {
    const values = { ...emptyValues(rooms), building_id: '12', number: ' 301 ', floor: '3', area: '88.5' };
    expect(bodyOf(rooms, values, null)).toEqual({ building_id: 12, number: '301', floor: 3, area: 88.5 });
  });

  it('sends a number that does not read as one as typed, for the API to refuse by name', () => {
    const values = { ...emptyValues(rooms), building_id: '12', number: '301', floor: '三' };
    expect(bodyOf(rooms, values, null)).toMatchObject({ floor: '三' });
  });

  it('sends only the changed fields of a record, an emptied one as null', () => {
    const stored = valuesOf(rooms, { id: 5, building_id: 12, number: '301', floor: 3, area: 88.5, use: 'residential', address_code: 'B0000012U00000R301' });
    const edited = { ...stored, floor: '4', area: '' };
    expect(bodyOf(rooms, edited, stored)).toEqual({ floor: 4, area: null });
  });

  it('never sends back a masked value the user left alone', () => {
    const stored = valuesOf(persons, { id: 9, name: '王芳', id_number: '110105********002X', phone: '138****8000', category: 'registered', tags: ['elderly_alone'] });
    expect(stored.tags).toBe('elderly_alone');
    expect(bodyOf(persons, { ...stored, name: '王芳芳' }, stored)).toEqual({ name: '王芳芳' });
  });

  it('splits tags typed with Chinese or Latin separators', () => {
    const values = { ...emptyValues(persons), name: '李雷', tags: 'elderly_alone，disabled、 veteran' };
    expect(bodyOf(persons, values, null)).toEqual({ name: '李雷', category: 'registered', tags: ['elderly_alone', 'disabled', 'veteran'] });
  });

  it('gives a device its id and kind when it is made and never changes them', () => {
    const fresh = { ...emptyValues(devices), id: 'HK-0001', name: '东门', estate_id: '3' };
    expect(bodyOf(devices, fresh, null)).toEqual({ id: 'HK-0001', name: '东门', kind: 'camera', estate_id: 3 });
    const stored = valuesOf(devices, { id: 'HK-0001', name: '东门', kind: 'door', estate_id: 3 });
    expect(bodyOf(devices, { ...stored, id: 'other', kind: 'camera', name: '东门一' }, stored)).toEqual({ name: '东门一' });
  });

  it('lets each kind be edited by the roles the API allows', () => {
    expect(mayEdit(devices, ['security'])).toBe(true);
    expect(mayEdit(devices, ['grid_worker'])).toBe(false);
    expect(mayEdit(rooms, ['security'])).toBe(false);
    expect(mayEdit(recordKind('vehicles'), ['security'])).toBe(true);
    expect(mayEdit(rooms, ['admin'])).toBe(true);
    expect(mayEdit(undefined, ['admin'])).toBe(false);
  });

  it('searches a person by ID number when one is typed, else by name', () => {
    expect(personSearch(' 11010519491231002x ')).toEqual({ id_number: '11010519491231002X' });
    expect(personSearch('110105491231002')).toEqual({ id_number: '110105491231002' });
    expect(personSearch('王')).toEqual({ q: '王' });
  });
});
