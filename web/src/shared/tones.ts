// Status colours shared by the console and the portal (see .badge-* in base.css).
export const caseTone: Record<string, string> = {
  submitted: 'bad',
  accepted: 'warn',
  triaged: 'warn',
  assigned: 'info',
  in_progress: 'info',
  resolved: 'ok',
  feedback: 'ok',
  rated: 'ok',
  closed: 'muted',
  merged: 'muted',
};
