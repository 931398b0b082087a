// The parts of an alert rule the form edits, and the body the API takes from them
// (docs/api.md, "Rules"): params as JSON, a schedule of weekdays and a daily window, or none.
export interface Rule {
  id: number;
  name: string;
  kind: string;
  params: Record<string, unknown>;
  level: string;
  enabled: boolean;
  schedule: { days: number[]; from: string; to: string } | null;
  region_path?: string;
}

export interface RuleDraft {
  name: string;
  kind: string;
  params: string;
  level: string;
  enabled: boolean;
  days: number[];
  from: string;
  to: string;
}

// Each kind's parameters with their defaults, as a starting point to edit.
export const ruleDefaults: Record<string, Record<string, unknown>> = {
  key_person_appears: { tags: ['key_person'] },
  key_person_leaves: { tags: ['key_person'] },
  key_persons_together: { tags: ['key_person'], min_persons: 2, minutes: 10 },
  stranger_frequent: { min_count: 3, days: 3, similarity: 0.6 },
  elderly_no_passage: { hours: 24 },
  device_offline: {},
  door_alarm: { conditions: ['forced', 'held_open'] },
  alarm: {},
};

export function draftOf(rule: Rule | null, kind = 'elderly_no_passage'): RuleDraft {
  if (!rule) return { name: '', kind, params: JSON.stringify(ruleDefaults[kind] ?? {}), level: 'normal', enabled: true, days: [], from: '', to: '' };
  return {
    name: rule.name,
    kind: rule.kind,
    params: JSON.stringify(rule.params ?? {}),
    level: rule.level,
    enabled: rule.enabled,
    days: rule.schedule?.days ?? [],
    from: rule.schedule?.from ?? '',
    to: rule.schedule?.to ?? '',
  };
}

// The body for POST or PATCH, or the name of the field that is not even well-formed.
export function ruleBody(d: RuleDraft): { body: Record<string, unknown> } | { field: string } {
  let params: unknown;
  try {
    params = JSON.parse(d.params.trim() || '{}');
  } catch {
    return { field: 'params' };
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return { field: 'params' };
  const always = d.days.length === 0 && !d.from && !d.to;
  const schedule = always ? null : { days: [...d.days].sort((a, b) => a - b), from: d.from, to: d.to };
  return { body: { name: d.name.trim(), kind: d.kind, params, level: d.level, enabled: d.enabled, schedule } };
}
