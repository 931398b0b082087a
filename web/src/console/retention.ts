// Retention periods on the admin page: what the API answers (GET/PUT /api/v1/admin/retention),
// checking typed periods before they are sent (the server checks them again), which periods an
// edit changes, and a kind handed back to the configuration file.
import type { WordKey } from '../shared/i18n';

export const kinds = ['captures', 'events', 'snapshots', 'audit'] as const;
export type Kind = (typeof kinds)[number];

export interface KindPlan {
  days: number;
  count: number;
  before?: string;
  first?: string | null;
  last?: string | null;
  bytes?: number;
  derived?: number;
}

export interface RetentionPlan extends Record<Kind, KindPlan> {
  settings: Record<Kind, number>;
  sources: Record<Kind, 'config' | 'settings' | 'proposed'>;
  config: Record<Kind, number>;
  changed: Partial<Record<Kind, { by: string; at: string }>>;
  at: string;
}

export type Draft = Record<Kind, string>;

// The same bounds as the server's (retention_settings.h).
export const maxDays = 3650;
export const minAuditDays = 180;

export function draftOf(plan: RetentionPlan): Draft {
  return Object.fromEntries(kinds.map((k) => [k, String(plan.settings[k])])) as Draft;
}

// What is wrong with a typed period, or null when it may be sent.
export function daysProblem(kind: Kind, text: string): WordKey | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'retention.wholeDays';
  const days = Number(trimmed);
  if (days > maxDays) return 'retention.tooLong';
  if (kind === 'audit' && days > 0 && days < minAuditDays) return 'retention.auditMinimum';
  return null;
}

// The periods the draft changes, as the PUT body and the preview's query take them.
export function changedDays(plan: RetentionPlan, draft: Draft): Partial<Record<Kind, number>> {
  const out: Partial<Record<Kind, number>> = {};
  for (const kind of kinds) {
    if (daysProblem(kind, draft[kind]) !== null) continue;
    const days = Number(draft[kind].trim());
    if (days !== plan.settings[kind]) out[kind] = days;
  }
  return out;
}

// A change to confirm and send: the PUT body, where null hands a kind back to the configuration
// file, and the periods the server's dry run previews it with.
export interface Change {
  body: Partial<Record<Kind, number | null>>;
  preview: Partial<Record<Kind, number>>;
}

// Handing a kind back to the configuration file, previewed with the file's period for it.
export function backToConfig(plan: RetentionPlan, kind: Kind): Change {
  return { body: { [kind]: null }, preview: { [kind]: plan.config[kind] } };
}

// What the confirmation lists, kind by kind: the period in force, the one to come, and whether
// that one is the configuration file's.
export function changeLines(plan: RetentionPlan, change: Change): { kind: Kind; from: number; to: number; config: boolean }[] {
  return kinds
    .filter((kind) => change.body[kind] !== undefined)
    .map((kind) => {
      const days = change.body[kind];
      return { kind, from: plan.settings[kind], to: days ?? plan.config[kind], config: days === null };
    });
}
