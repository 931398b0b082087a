import { describe, expect, it } from 'vitest';
import { cellText, filtersFrom, registryList, registryLists } from './lists';

describe('registry lists', () => {
  it('offers the registry’s eight lists, each with an id column', () => {
    expect(registryLists.map((l) => l.name)).toEqual(['persons', 'estates', 'buildings', 'rooms', 'vehicles', 'devices', 'rentals', 'premises']);
    for (const list of registryLists) expect(list.columns[0].field).toBe('id');
  });

  it('takes from the address only the filters a list has', () => {
    const persons = registryList('persons')!;
    const params = new URLSearchParams('q=王&tag=elderly_alone&plate=京A12345&cursor=9');
    expect(filtersFrom(persons, params)).toEqual({ q: '王', tag: 'elderly_alone' });
    expect(filtersFrom(registryList('vehicles')!, params)).toEqual({ plate: '京A12345' });
  });

  it('writes cells as the reader expects', () => {
    expect(cellText(null, '是', '否')).toBe('—');
    expect(cellText('', '是', '否')).toBe('—');
    expect(cellText([], '是', '否')).toBe('—');
    expect(cellText(['elderly_alone', 'disabled'], '是', '否')).toBe('elderly_alone、disabled');
    expect(cellText(true, '是', '否')).toBe('是');
    expect(cellText(0, '是', '否')).toBe('0');
  });
});
