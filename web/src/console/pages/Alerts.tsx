// Alerts: the live feed of new ones (open, not yet acknowledged) and those being handled. A pushed
// alert takes its place at once; acknowledging moves it out of the feed.
import { useCallback, useState } from 'react';
import { currentUser, errorText, get, post, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { useLiveStream } from '../../shared/live';
import { formatTime } from '../../shared/time';
import { Badge, Empty, ErrorNote, Guard, useLoad } from '../../shared/ui';
import { AskDialog } from '../AskDialog';
import { mergeLive } from '../live_list';
import { mayUse } from '../navigation';
import { LiveState } from './LiveState';

export interface Alert {
  id: number;
  kind: string;
  status: string;
  level: string;
  title: string;
  estate_id: number | null;
  last_ts: string | null;
  first_ts: string | null;
  count: number;
  assigned_to: string | null;
  allowed_actions: string[];
}

const levelTone: Record<string, string> = { critical: 'bad', high: 'bad', normal: 'warn', low: 'muted' };

// The alerts page lists what is not yet closed.
const mergeAlert = (list: Alert[], alert: Alert) => mergeLive(list, alert, (a) => a.status !== 'closed');

export function Alerts() {
  useLang();
  const mayAct = mayUse(currentUser()?.roles ?? [], ['police', 'security']);
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const loaded = useLoad(async () => {
    const page = await get<Page<Alert>>('/api/v1/alerts?open=true&limit=200');
    setAlerts(page.items);
    return page;
  }, []);
  const live = useLiveStream(
    'alert',
    useCallback((event: string, data: unknown) => {
      if (event !== 'alert') return;
      setAlerts((list) => (list ? mergeAlert(list, data as Alert) : list));
    }, []),
  );

  const [asking, setAsking] = useState<{ alert: Alert; action: 'assign' | 'close' } | null>(null);

  const act = (alert: Alert, action: string) => {
    if (action === 'assign' || action === 'close') setAsking({ alert, action });
    else void send(alert, { action });
  };

  const send = async (alert: Alert, body: Record<string, string>) => {
    try {
      setActionError(null);
      const changed = await post<Alert>(`/api/v1/alerts/${alert.id}/actions`, body);
      setAlerts((list) => (list ? mergeAlert(list, changed) : list));
    } catch (e) {
      setActionError(errorText(e));
    }
  };

  const fresh = (alerts ?? []).filter((a) => a.status === 'open');
  const handling = (alerts ?? []).filter((a) => a.status !== 'open');
  return (
    <section aria-labelledby="alerts-title">
      <div className="page-head">
        <h1 id="alerts-title">{t('alerts.title')}</h1>
        <LiveState state={live} />
      </div>
      {actionError && <ErrorNote text={actionError} />}
      {asking && (
        <AskDialog
          title={`${label('alertAction', asking.action)} · ${asking.alert.title}`}
          prompt={asking.action === 'assign' ? t('alerts.assignPrompt') : t('alerts.closeNote')}
          required={asking.action === 'assign'}
          onCancel={() => setAsking(null)}
          onAnswer={(text) => {
            const { alert, action } = asking;
            setAsking(null);
            const body: Record<string, string> = { action };
            if (action === 'assign') body.assignee = text;
            else if (text) body.note = text;
            void send(alert, body);
          }}
        />
      )}
      <Guard state={loaded}>
        {() => (
          <>
            <h2 id="feed-title">
              {label('alert', 'open')} <span className="count">{fresh.length}</span>
            </h2>
            {fresh.length === 0 ? (
              <Empty text={t('alerts.none')} />
            ) : (
              <AlertTable labelledBy="feed-title" alerts={fresh} mayAct={mayAct} act={act} testId="alert-feed" />
            )}
            {handling.length > 0 && (
              <>
                <h2 id="handling-title">
                  {label('alert', 'acknowledged')} / {label('alert', 'assigned')} <span className="count">{handling.length}</span>
                </h2>
                <AlertTable labelledBy="handling-title" alerts={handling} mayAct={mayAct} act={act} testId="alert-handling" />
              </>
            )}
          </>
        )}
      </Guard>
    </section>
  );
}

function AlertTable({
  alerts,
  mayAct,
  act,
  labelledBy,
  testId,
}: {
  alerts: Alert[];
  mayAct: boolean;
  act: (alert: Alert, action: string) => void;
  labelledBy: string;
  testId: string;
}) {
  return (
    <table className="grid" aria-labelledby={labelledBy} data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t('alerts.time')}</th>
          <th scope="col">{t('alerts.level')}</th>
          <th scope="col">{t('alerts.what')}</th>
          <th scope="col" className="num">
            {t('alerts.count')}
          </th>
          <th scope="col">{t('alerts.status')}</th>
          <th scope="col">{t('alerts.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <tr key={a.id} data-alert-id={a.id}>
            <td className="nowrap">{formatTime(a.last_ts, { seconds: true })}</td>
            <td>
              <Badge tone={levelTone[a.level] ?? 'muted'}>{label('level', a.level)}</Badge>
            </td>
            <td>{a.title}</td>
            <td className="num">{a.count}</td>
            <td>
              {label('alert', a.status)}
              {a.assigned_to ? ` · ${a.assigned_to}` : ''}
            </td>
            <td className="actions">
              {mayAct &&
                a.allowed_actions.map((action) => (
                  <button key={action} type="button" onClick={() => act(a, action)}>
                    {label('alertAction', action)}
                  </button>
                ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
