// One incident: where, what, the three 1-3-5 clocks, whom to ring (the caller and the people
// living with them, for an SOS), the alarms that raised it, every step, and the next step the
// API allows — kept current by the live stream.
import { useCallback, useState } from 'react';
import { currentUser, errorText, get, post } from '../../shared/api';
import { label, localMessage, t, useLang } from '../../shared/i18n';
import { useLiveStream } from '../../shared/live';
import { stageClocks, type StageClock } from '../../shared/response_timer';
import { linkClick } from '../../shared/router';
import { clock, formatTime } from '../../shared/time';
import { Badge, ErrorNote, Guard, useLoad, useNow } from '../../shared/ui';
import { AskDialog } from '../AskDialog';
import { mayUse } from '../navigation';
import { LiveState } from './LiveState';
import { statusTone, type Incident } from './Incidents';

interface Contact {
  name: string | null;
  phone: string | null;
  relation: string;
}

interface IncidentDetail extends Incident {
  dispatched_to: string | null;
  contacts: Contact[];
  events: { event_id: string | null; device_id: string | null; type: string; ts: string; source: string }[];
  history: { ts: string; actor: string; action: string; from: string | null; to: string | null; note: string | null }[];
  allowed_actions: string[];
}

function clockText(c: StageClock): string {
  const stage = label('stage', c.stage);
  if (c.state === 'running') return t('timer.left', { stage, time: clock(c.seconds ?? 0) });
  if (c.state === 'overdue') return t('timer.over', { stage, time: clock(c.seconds ?? 0) });
  if (c.state === 'skipped') return t('timer.skipped', { stage });
  const taken = c.seconds === null ? '' : ` ${clock(c.seconds)}`;
  return `${t(c.state === 'met' ? 'timer.metShort' : 'timer.lateShort', { stage })}${taken}`;
}

const clockTone: Record<string, string> = { met: 'ok', late: 'bad', overdue: 'bad', running: 'warn', skipped: 'muted' };

export function IncidentPage({ id }: { id: number }) {
  const current = useLang();
  const mayAct = mayUse(currentUser()?.roles ?? [], ['police', 'security']);
  const [override, setOverride] = useState<IncidentDetail | null>(null);
  const [dispatching, setDispatching] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const now = useNow();
  const state = useLoad(() => get<IncidentDetail>(`/api/v1/incidents/${id}`), [id]);
  const live = useLiveStream(
    'incident',
    useCallback(
      (event: string, data: unknown) => {
        const pushed = data as IncidentDetail;
        // A pushed incident has its contacts masked: keep the ones the page read in full.
        if (event === 'incident' && pushed.id === id) setOverride((old) => ({ ...(old ?? state.data ?? pushed), ...pushed, contacts: (old ?? state.data)?.contacts ?? pushed.contacts }));
      },
      [id, state.data],
    ),
  );
  const data = override ?? state.data;

  const send = async (body: Record<string, string>) => {
    try {
      setActionError(null);
      setOverride(await post<IncidentDetail>(`/api/v1/incidents/${id}/actions`, body));
    } catch (e) {
      setActionError(errorText(e));
    }
  };

  return (
    <section aria-labelledby="incident-title">
      <p>
        <a href="/incidents" onClick={(e) => linkClick(e, '/incidents')}>
          ← {t('common.back')}
        </a>
      </p>
      <Guard state={{ ...state, data }}>
        {(i) => (
          <>
            <div className="page-head">
              <h1 id="incident-title">{t('incident.title', { id: i.id, kind: label('kind', i.kind) })}</h1>
              <Badge tone={statusTone[i.status] ?? 'muted'}>{label('incident', i.status)}</Badge>
              <LiveState state={live} />
            </div>
            <dl className="facts">
              <div>
                <dt>{t('incidents.place')}</dt>
                <dd>{i.address ?? i.estate_name ?? '—'}</dd>
              </div>
              <div>
                <dt>{t('incidents.raised')}</dt>
                <dd>{formatTime(i.raised_at, { seconds: true })}</dd>
              </div>
              <div>
                <dt>{t('alerts.level')}</dt>
                <dd>{label('level', i.level)}</dd>
              </div>
              <div>
                <dt>{t('incident.dispatchedTo')}</dt>
                <dd>{i.dispatched_to ?? '—'}</dd>
              </div>
            </dl>
            <ul className="clocks" aria-label={t('incidents.timer')}>
              {stageClocks(i, now).map((c) => (
                <li key={c.stage} className={`clock clock-${clockTone[c.state]}`}>
                  {clockText(c)}
                </li>
              ))}
            </ul>
            {actionError && <ErrorNote text={actionError} />}
            {mayAct && i.allowed_actions.length > 0 && (
              <div className="buttons" role="group" aria-label={t('incidents.actions')}>
                {i.allowed_actions.map((action) => (
                  <button
                    key={action}
                    type="button"
                    className={action === 'false_alarm' ? undefined : 'primary'}
                    onClick={() => (action === 'dispatch' ? setDispatching(true) : void send({ action }))}
                  >
                    {label('incidentAction', action)}
                  </button>
                ))}
              </div>
            )}
            {dispatching && (
              <AskDialog
                title={`${label('incidentAction', 'dispatch')} · ${i.address ?? `#${i.id}`}`}
                prompt={t('incidents.dispatchTo')}
                required
                onCancel={() => setDispatching(false)}
                onAnswer={(to) => {
                  setDispatching(false);
                  void send({ action: 'dispatch', dispatched_to: to });
                }}
              />
            )}
            {i.contacts.length > 0 && (
              <>
                <h2 id="contacts-title">{t('incident.contacts')}</h2>
                <table className="grid" aria-labelledby="contacts-title">
                  <tbody>
                    {i.contacts.map((c, n) => (
                      <tr key={n}>
                        <td>{c.name ?? '—'}</td>
                        <td>{label('relation', c.relation)}</td>
                        <td>{c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
            <h2 id="steps-title">{t('case.history')}</h2>
            <table className="grid" aria-labelledby="steps-title">
              <thead>
                <tr>
                  <th scope="col">{t('case.time')}</th>
                  <th scope="col">{t('case.step')}</th>
                  <th scope="col">{t('case.fromTo')}</th>
                  <th scope="col">{t('case.actor')}</th>
                  <th scope="col">{t('common.note')}</th>
                </tr>
              </thead>
              <tbody>
                {i.history.map((s, n) => (
                  <tr key={n}>
                    <td className="nowrap">{formatTime(s.ts, { seconds: true })}</td>
                    <td>{label('incidentStep', s.action)}</td>
                    <td>{s.to && s.to !== s.from ? label('incident', s.to) : ''}</td>
                    <td>{s.actor}</td>
                    <td className="text">{s.note ? localMessage(s.note, current) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Guard>
    </section>
  );
}
