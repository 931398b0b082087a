// The 1-3-5 minute response as the console shows it, ticking every second: for each stage
// (acknowledge within 1 minute, dispatch within 3, on scene within 5, all counted from when the
// incident was raised) whether it was met, is running, is overdue, or no longer applies. The same
// reading as the server's `timers`, computed from the incident's times so that a list item and a
// pushed change tick without asking the server again.

export type Stage = 'acknowledge' | 'dispatch' | 'arrive';
export const stages: Stage[] = ['acknowledge', 'dispatch', 'arrive'];

export interface Targets {
  acknowledge: number;
  dispatch: number;
  arrive: number;
}
export const defaultTargets: Targets = { acknowledge: 60, dispatch: 180, arrive: 300 };

export interface IncidentTimes {
  status: string;
  raised_at: string;
  acknowledged_at?: string | null;
  dispatched_at?: string | null;
  arrived_at?: string | null;
  closed_at?: string | null;
  // List items carry no stage times, only the stages that were late.
  late_stages?: string[];
  timers?: { stage: string; target_seconds: number }[];
}

export type StageState = 'met' | 'late' | 'running' | 'overdue' | 'skipped';

export interface StageClock {
  stage: Stage;
  state: StageState;
  // met/late: seconds taken from raised; running: seconds left; overdue: seconds past due.
  seconds: number | null;
}

const doneField: Record<Stage, 'acknowledged_at' | 'dispatched_at' | 'arrived_at'> = {
  acknowledge: 'acknowledged_at',
  dispatch: 'dispatched_at',
  arrive: 'arrived_at',
};

// How far each status has come: a stage is reached once the status is at or past its index.
const progress: Record<string, number> = { raised: 0, acknowledged: 1, dispatched: 2, on_scene: 3, resolved: 3 };
const stageIndex: Record<Stage, number> = { acknowledge: 1, dispatch: 2, arrive: 3 };

export function isOpen(status: string): boolean {
  return status !== 'resolved' && status !== 'false_alarm';
}

function ms(text: string | null | undefined): number | null {
  if (!text) return null;
  const value = Date.parse(text);
  return Number.isNaN(value) ? null : value;
}

// The targets fixed on the incident when it was raised, where the server sent them.
export function targetsOf(incident: IncidentTimes, fallback: Targets = defaultTargets): Targets {
  const targets = { ...fallback };
  for (const timer of incident.timers ?? []) {
    if ((stages as string[]).includes(timer.stage)) targets[timer.stage as Stage] = timer.target_seconds;
  }
  return targets;
}

export function stageClocks(incident: IncidentTimes, nowMs: number, fallback: Targets = defaultTargets): StageClock[] {
  const raised = ms(incident.raised_at) ?? nowMs;
  const closed = isOpen(incident.status) ? null : (ms(incident.closed_at) ?? nowMs);
  const targets = targetsOf(incident, fallback);
  return stages.map((stage) => {
    const due = raised + targets[stage] * 1000;
    const done = ms(incident[doneField[stage]]);
    if (done !== null) {
      return { stage, state: done <= due ? 'met' : 'late', seconds: Math.round((done - raised) / 1000) };
    }
    if ((progress[incident.status] ?? -1) >= stageIndex[stage]) {
      return { stage, state: incident.late_stages?.includes(stage) ? 'late' : 'met', seconds: null };
    }
    if (closed !== null) return { stage, state: closed <= due ? 'skipped' : 'late', seconds: null };
    // The browser's clock may run a little behind the server's: never more than the whole target.
    const left = Math.min(Math.ceil((due - nowMs) / 1000), targets[stage]);
    return left >= 0 ? { stage, state: 'running', seconds: left } : { stage, state: 'overdue', seconds: -left };
  });
}

// The stage the responders are working on now: the first one not yet reached, while open.
export function currentStage(incident: IncidentTimes, nowMs: number, fallback: Targets = defaultTargets): StageClock | null {
  if (!isOpen(incident.status)) return null;
  return stageClocks(incident, nowMs, fallback).find((c) => c.state === 'running' || c.state === 'overdue') ?? null;
}
