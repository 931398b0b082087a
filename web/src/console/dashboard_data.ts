// Shapes the API's statistics into what the overview draws. Kept apart from the page so that the
// arithmetic is tested without a browser.

export interface EstateStats {
  estate_id: number;
  name: string;
  declared_tier: string | null;
  alarms: number;
  devices: { total: number; online: number; online_ratio: number | null };
  passages: { total: number; people: number; vehicles: number; by_day: Record<string, number> };
  compliance: { tier: string | null };
}

export interface EstateStatsAnswer {
  items: EstateStats[];
  total: EstateStats & { estates: number };
}

export interface PolicingMonth {
  month: string;
  estates: number;
  zero_incident_estates: number;
  zero_incident_share: number | null;
}

export interface StageFigures {
  counted: number;
  on_time: number;
}

export interface IncidentStats {
  total: number;
  estates: { acknowledge: StageFigures; dispatch: StageFigures; arrive: StageFigures }[];
}

// One value per date in `days`, 0 where the API had none.
export function series(byDay: Record<string, number>, days: string[]): number[] {
  return days.map((d) => byDay[d] ?? 0);
}

// The on-time share of each 1-3-5 stage over all estates: on_time / counted, null when none.
export function stageRates(stats: IncidentStats): Record<'acknowledge' | 'dispatch' | 'arrive', number | null> {
  const out = { acknowledge: null, dispatch: null, arrive: null } as Record<'acknowledge' | 'dispatch' | 'arrive', number | null>;
  for (const stage of ['acknowledge', 'dispatch', 'arrive'] as const) {
    let counted = 0;
    let onTime = 0;
    for (const e of stats.estates) {
      counted += e[stage].counted;
      onTime += e[stage].on_time;
    }
    out[stage] = counted === 0 ? null : onTime / counted;
  }
  return out;
}

// The month of `today` ("2026-11-23" -> "2026-11") among the policing months, if present.
export function monthOf(months: PolicingMonth[], today: string): PolicingMonth | undefined {
  return months.find((m) => m.month === today.slice(0, 7));
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value * 1000) / 10}%`;
}

// A count from a list fetched with a page limit: "1000+" when there were more.
export function countOf(page: { items: unknown[]; next: string | null }): string {
  return page.next ? `${page.items.length}+` : String(page.items.length);
}

export interface DailyStats {
  days: string[];
  alerts?: number[];
  incidents?: number[];
  cases?: number[];
  cases_by_status?: Record<string, number>;
}

// The case loop's statuses in their order, for the status chart.
export const caseStatuses = ['submitted', 'accepted', 'triaged', 'assigned', 'in_progress', 'resolved', 'feedback', 'rated', 'closed'];
const settled = new Set(['resolved', 'feedback', 'rated', 'closed', 'merged']);

// Cases still being worked: every status before resolution.
export function openCases(byStatus: Record<string, number>): number {
  return Object.entries(byStatus).reduce((sum, [status, n]) => (settled.has(status) ? sum : sum + n), 0);
}

export interface Region {
  id: number;
  name: string;
  level: string;
  parent_id: number | null;
}

// The regions the user sees, in tree order with their depth, for the overview's region choice:
// each region after its parent, siblings by id.
export function regionTree(regions: Region[]): { region: Region; depth: number }[] {
  const known = new Set(regions.map((r) => r.id));
  const children = new Map<number | null, Region[]>();
  for (const r of regions) {
    const parent = r.parent_id !== null && known.has(r.parent_id) ? r.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const out: { region: Region; depth: number }[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const r of [...(children.get(parent) ?? [])].sort((a, b) => a.id - b.id)) {
      out.push({ region: r, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
