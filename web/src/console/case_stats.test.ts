import { describe, expect, it } from 'vitest';
import { csvField, figureText, groupRows, toCsv, type CaseFigures } from './case_stats';

const figures = (total: number, extra: Partial<CaseFigures> = {}): CaseFigures => ({
  total,
  accepted: total,
  resolved: 0,
  on_time: 0,
  rated: 0,
  resolution_rate: null,
  on_time_rate: null,
  satisfaction: null,
  satisfied_rate: null,
  mediation_success_rate: null,
  pre_litigation_rate: null,
  mean_hours_to_resolve: null,
  p90_hours_to_resolve: null,
  ...extra,
});

describe('figureText', () => {
  it('writes rates in per cent, the rating and hours with fixed decimals', () => {
    expect(figureText('resolution_rate', 0.8534)).toBe('85.3%');
    expect(figureText('on_time_rate', 1)).toBe('100%');
    expect(figureText('satisfaction', 4.5)).toBe('4.50');
    expect(figureText('p90_hours_to_resolve', 30.04)).toBe('30.0');
    expect(figureText('total', 12)).toBe('12');
  });
  it('leaves a figure with nothing to divide by empty', () => {
    expect(figureText('satisfied_rate', null)).toBe('');
  });
});

describe('groupRows', () => {
  it('puts the most cases first, named', () => {
    const rows = groupRows({ a: figures(2), b: figures(5) }, (k) => k.toUpperCase());
    expect(rows.map((r) => [r.key, r.name])).toEqual([
      ['b', 'B'],
      ['a', 'A'],
    ]);
  });
  it('keeps months in calendar order', () => {
    const rows = groupRows({ '2026-11': figures(1), '2026-09': figures(9) }, (k) => k, true);
    expect(rows.map((r) => r.key)).toEqual(['2026-09', '2026-11']);
  });
});

describe('CSV', () => {
  it('starts with a byte-order mark and ends rows with CRLF', () => {
    const csv = toCsv([
      ['分组', '数量'],
      ['环境卫生', 3],
    ]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe('分组,数量\r\n环境卫生,3\r\n');
  });
  it('quotes commas, quotes and line breaks', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('他说"好"')).toBe('"他说""好"""');
    expect(csvField('两行\n文字')).toBe('"两行\n文字"');
    expect(csvField(null)).toBe('');
  });
  it('keeps a spreadsheet from reading text as a formula, but not a signed number', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('-3')).toBe('-3');
    expect(csvField(-3)).toBe('-3');
    expect(csvField('+12.5%')).toBe('+12.5%');
  });
});
