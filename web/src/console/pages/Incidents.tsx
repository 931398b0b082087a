// Incidents and the 1-3-5 minute response: each open incident with the clock of the stage being
// worked on, ticking every second, and the step that comes next.
import { useCallback, useState } from 'react';
import { currentUser, errorText, get, post, query, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { useLiveStream } from '../../shared/live';
import { currentStage, isOpen, stageClocks, type IncidentTimes, type StageClock } from '../../shared/response_timer';
import { linkClick } from '../../shared/router';
import { clock, formatTime } from '../../shared/time';
import { Badge, Empty, ErrorNote, Guard, useLoad, useNow } from '../../shared/ui';
import { AskDialog } from '../AskDialog';
import { mergeLive } from '../live_list';
import { mayUse } from '../navigation';
import { LiveState } from './LiveState';

export interface Incident extends IncidentTimes {
  id: number;
  kind: string;
  level: string;
  address: string | null;
  estate_name: string | null;
  alarm_count: number;
  escalations: number;
  late_stages?: string[];
  allowed_actions?: string[];
}

// The steps of the incident flow from each status (the server checks them again).
const nextSteps: Record<string, string[]> = {
  raised: ['acknowledge', 'false_alarm'],
  acknowledged: ['dispatch', 'false_alarm'],
  dispatched: ['arrive', 'false_alarm'],
  on_scene: ['resolve', 'false_alarm'],
};

export const statusTone: Record<string, string> = {
  raised: 'bad',
  acknowledged: 'warn',
  dispatched: 'warn',
  on_scene: 'info',
  resolved: 'ok',
  false_alarm: 'muted',
};

function mergeIncident(list: Incident[], incident: Incident, showClosed: boolean): Incident[] {
  return mergeLive(list, incident, (i) => showClosed || isOpen(i.status));
}

export function timerText(c: StageClock | null): string {
  if (!c) return t('timer.done');
  const stage = label('stage', c.stage);
  const time = clock(c.seconds ?? 0);
  return c.state === 'running' ? t('timer.left', { stage, time }) : t('timer.over', { stage, time });
}

export function Incidents() {
  useLang();
  const mayAct = mayUse(currentUser()?.roles ?? [], ['police', 'security']);
  const [showClosed, setShowClosed] = useState(false);
  const [incidents, setIncidents] = useState<Incident[] | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const now = useNow();
  const loaded = useLoad(async () => {
    const since = new Date(Date.now() - 86_400_000).toISOString();
    const page = await get<Page<Incident>>(`/api/v1/incidents${query(showClosed ? { from: since, limit: 500 } : { open: true, limit: 500 })}`);
    // The API lists oldest first; the newest belongs on top.
    setIncidents([...page.items].reverse());
    return page;
  }, [showClosed]);
  const live = useLiveStream(
    'incident',
    useCallback(
      (event: string, data: unknown) => {
        if (event !== 'incident') return;
        setIncidents((list) => (list ? mergeIncident(list, data as Incident, showClosed) : list));
      },
      [showClosed],
    ),
  );

  const [dispatching, setDispatching] = useState<Incident | null>(null);

  const act = (incident: Incident, action: string) => {
    if (action === 'dispatch') setDispatching(incident);
    else void send(incident, { action });
  };

  const send = async (incident: Incident, body: Record<string, string>) => {
    try {
      setActionError(null);
      const changed = await post<Incident>(`/api/v1/incidents/${incident.id}/actions`, body);
      setIncidents((list) => (list ? mergeIncident(list, changed, showClosed) : list));
    } catch (e) {
      setActionError(errorText(e));
    }
  };

  return (
    <section aria-labelledby="incidents-title">
      <div className="page-head">
        <h1 id="incidents-title">{t('incidents.title')}</h1>
        <LiveState state={live} />
        <label className="check">
          <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} />
          {t('incidents.showClosed')}
        </label>
      </div>
      {actionError && <ErrorNote text={actionError} />}
      {dispatching && (
        <AskDialog
          title={`${label('incidentAction', 'dispatch')} · ${dispatching.address ?? dispatching.estate_name ?? `#${dispatching.id}`}`}
          prompt={t('incidents.dispatchTo')}
          required
          onCancel={() => setDispatching(null)}
          onAnswer={(to) => {
            const incident = dispatching;
            setDispatching(null);
            void send(incident, { action: 'dispatch', dispatched_to: to });
          }}
        />
      )}
      <Guard state={loaded}>
        {() =>
          !incidents || incidents.length === 0 ? (
            <Empty text={t('incidents.none')} />
          ) : (
            <table className="grid" aria-labelledby="incidents-title" data-testid="incidents">
              <thead>
                <tr>
                  <th scope="col">{t('incidents.raised')}</th>
                  <th scope="col">{t('incidents.kind')}</th>
                  <th scope="col">{t('incidents.place')}</th>
                  <th scope="col">{t('incidents.status')}</th>
                  <th scope="col">{t('incidents.timer')}</th>
                  <th scope="col">{t('incidents.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {incidents.map((i) => {
                  const current = currentStage(i, now);
                  const late = stageClocks(i, now).filter((c) => c.state === 'late' || c.state === 'overdue').length > 0 || (i.late_stages?.length ?? 0) > 0;
                  const steps = i.allowed_actions ?? nextSteps[i.status] ?? [];
                  return (
                    <tr key={i.id} data-incident-id={i.id} className={late ? 'late' : undefined}>
                      <td className="nowrap">{formatTime(i.raised_at, { seconds: true })}</td>
                      <td>
                        <Badge tone={i.kind === 'sos' || i.kind === 'fire' ? 'bad' : 'warn'}>{label('kind', i.kind)}</Badge>
                      </td>
                      <td>
                        <a href={`/incidents/${i.id}`} onClick={(e) => linkClick(e, `/incidents/${i.id}`)}>
                          {i.address ?? i.estate_name ?? `#${i.id}`}
                        </a>
                        {i.escalations > 0 && <span className="note"> · {t('incidents.escalated', { n: i.escalations })}</span>}
                      </td>
                      <td>
                        <Badge tone={statusTone[i.status] ?? 'muted'}>{label('incident', i.status)}</Badge>
                      </td>
                      <td className={`timer ${current?.state ?? ''}`} aria-live="off">
                        {timerText(current)}
                      </td>
                      <td className="actions">
                        {mayAct &&
                          steps.map((action) => (
                            <button key={action} type="button" onClick={() => act(i, action)}>
                              {label('incidentAction', action)}
                            </button>
                          ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Guard>
    </section>
  );
}
