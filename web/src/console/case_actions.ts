// The fields each case action asks for (docs/api.md, "The loop"), so that the case page draws a
// form for exactly the actions the API says the user may take.

export type FieldKind = 'text' | 'longtext' | 'level' | 'route' | 'score' | 'number' | 'list';

export interface ActionField {
  name: string;
  kind: FieldKind;
  required: boolean;
}

const note: ActionField = { name: 'note', kind: 'text', required: false };
const reason: ActionField = { name: 'reason', kind: 'longtext', required: true };

export const actionFields: Record<string, ActionField[]> = {
  accept: [note],
  triage: [
    { name: 'level', kind: 'level', required: true },
    { name: 'route', kind: 'route', required: true },
    note,
  ],
  assign: [
    { name: 'lead', kind: 'text', required: true },
    { name: 'joint', kind: 'list', required: false },
    note,
  ],
  start: [note],
  report: [note],
  resolve: [{ name: 'summary', kind: 'longtext', required: true }, note],
  feedback: [{ name: 'message', kind: 'longtext', required: true }],
  rate: [
    { name: 'score', kind: 'score', required: true },
    { name: 'comment', kind: 'text', required: false },
  ],
  close: [note],
  escalate: [reason],
  return: [reason],
  reopen: [reason],
  merge: [{ name: 'into', kind: 'number', required: true }, note],
};

export const levels = ['village', 'township', 'county'];
export const routes = ['people_mediation', 'administrative_mediation', 'court_mediation', 'department'];

// The request body from the form's text values: numbers as numbers, lists split at commas, empty
// optional fields left out.
export function actionBody(action: string, values: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = { action };
  for (const field of actionFields[action] ?? []) {
    const raw = (values[field.name] ?? '').trim();
    if (raw === '') continue;
    if (field.kind === 'score' || field.kind === 'number') body[field.name] = Number(raw);
    else if (field.kind === 'list')
      body[field.name] = raw
        .split(/[,，、]/)
        .map((s) => s.trim())
        .filter(Boolean);
    else body[field.name] = raw;
  }
  return body;
}
