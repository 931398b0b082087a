// The figures of GET /api/v1/stats/cases as the statistics page shows and exports them, and the
// CSV the export writes: UTF-8 with a byte-order mark, so that Excel in China opens it as UTF-8.
export interface CaseFigures {
  total: number;
  accepted: number;
  resolved: number;
  on_time: number;
  rated: number;
  resolution_rate: number | null;
  on_time_rate: number | null;
  satisfaction: number | null;
  satisfied_rate: number | null;
  mediation_success_rate: number | null;
  pre_litigation_rate: number | null;
  mean_hours_to_resolve: number | null;
  p90_hours_to_resolve: number | null;
}

export interface CaseStatsAnswer extends CaseFigures {
  by_category: Record<string, CaseFigures>;
  by_level: Record<string, CaseFigures>;
  by_region: Record<string, CaseFigures & { name: string }>;
  by_month: Record<string, CaseFigures>;
}

export interface Recurrence {
  category: string;
  category_name: string | null;
  estate_id?: number;
  estate_name?: string | null;
  count: number;
  previous: number;
  change: number;
}

export interface RecurringAnswer {
  from: string;
  to: string;
  previous_from: string;
  places: Recurrence[];
  categories: Recurrence[];
}

export type FigureKey = keyof CaseFigures;

// Every figure, in the order the tables and the export give them.
export const figureKeys: FigureKey[] = [
  'total',
  'accepted',
  'resolved',
  'on_time',
  'rated',
  'resolution_rate',
  'on_time_rate',
  'satisfaction',
  'satisfied_rate',
  'mediation_success_rate',
  'pre_litigation_rate',
  'mean_hours_to_resolve',
  'p90_hours_to_resolve',
];

const rates = new Set<FigureKey>(['resolution_rate', 'on_time_rate', 'satisfied_rate', 'mediation_success_rate', 'pre_litigation_rate']);

// A figure as people read it: rates in per cent with one decimal, the mean rating with two,
// hours with one; a figure the API gives as null (nothing to divide by) is empty.
export function figureText(key: FigureKey, value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (rates.has(key)) return `${Math.round(value * 1000) / 10}%`;
  if (key === 'satisfaction') return value.toFixed(2);
  if (key === 'mean_hours_to_resolve' || key === 'p90_hours_to_resolve') return value.toFixed(1);
  return String(value);
}

export interface GroupRow {
  key: string;
  name: string;
  figures: CaseFigures;
}

// A grouping's rows, the most cases first (months in calendar order), named by `name`.
export function groupRows(groups: Record<string, CaseFigures>, name: (key: string) => string, byKey = false): GroupRow[] {
  const rows = Object.entries(groups).map(([key, figures]) => ({ key, name: name(key), figures }));
  return rows.sort((a, b) => (byKey ? a.key.localeCompare(b.key) : b.figures.total - a.figures.total || a.name.localeCompare(b.name)));
}

// One CSV field: quoted when it holds a comma, quote or line break, and a text that a
// spreadsheet would take for a formula starts with an apostrophe.
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?%?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: (string | number | null | undefined)[][]): string {
  return '\uFEFF' + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
