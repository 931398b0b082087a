// The site plan (/plan): pick an estate of the caller's region and see its buildings and devices
// where the registry places them, each device coloured by its state. Alerts pushed on the live
// stream mark their device at once and join the list beside the plan; a marker opened shows the
// device's details and its recent alerts.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { get, query, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { useLiveStream } from '../../shared/live';
import { navigate, useLocation } from '../../shared/router';
import { formatTime } from '../../shared/time';
import { Badge, Empty, ErrorNote, Guard, Loading, useLoad } from '../../shared/ui';
import { PlanDrawing, PlanLegend } from '../PlanDrawing';
import { alertingDevices, applyAlert, markerState, placed, planView, type MarkerState, type PlanAlert, type PlanDevice, type SitePlan as Plan } from '../site_plan';
import { LiveState } from './LiveState';

const levelTone: Record<string, string> = { critical: 'bad', high: 'bad', normal: 'warn', low: 'muted' };
const stateTone: Record<MarkerState, string> = { alerting: 'bad', online: 'ok', offline: 'muted' };
// How long a marker flashes after its alert arrives; it stays marked alerting while the alert is open.
const flashMs = 8000;

export function SitePlan() {
  useLang();
  const location = useLocation();
  const asked = Number(new URLSearchParams(location.split('?')[1] ?? '').get('estate')) || null;
  const estates = useLoad(() => get<Page<{ id: number; name: string }>>('/api/v1/estates?limit=1000'), []);
  const first = estates.data?.items[0]?.id ?? null;
  const estateId = asked ?? first;

  return (
    <section aria-labelledby="plan-title">
      <div className="page-head">
        <h1 id="plan-title">{t('plan.title')}</h1>
        {estates.data && estates.data.items.length > 0 && (
          <label className="inline">
            {t('plan.estate')}
            <select name="estate" value={estateId ?? ''} onChange={(e) => navigate(`/plan${query({ estate: e.target.value })}`, true)}>
              {estates.data.items.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <Guard state={estates}>{() => (estateId === null ? <Empty text={t('plan.noEstates')} /> : <EstatePlan key={estateId} id={estateId} />)}</Guard>
    </section>
  );
}

function EstatePlan({ id }: { id: number }) {
  const [plan, setPlan] = useState<Plan | null>(null);
  const [flashing, setFlashing] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const timers = useRef<number[]>([]);
  const loaded = useLoad(async () => {
    const p = await get<Plan>(`/api/v1/estates/${id}/plan`);
    setPlan(p);
    return p;
  }, [id]);
  useEffect(() => () => timers.current.forEach((timer) => window.clearTimeout(timer)), []);

  const live = useLiveStream(
    'alert',
    useCallback((event: string, data: unknown) => {
      if (event !== 'alert') return;
      const alert = data as PlanAlert;
      setPlan((p) => (p ? applyAlert(p, alert) : p));
      const device = alert.device_id;
      if (alert.estate_id !== id || !device || alert.status === 'closed') return;
      setFlashing((s) => new Set(s).add(device));
      timers.current.push(
        window.setTimeout(
          () =>
            setFlashing((s) => {
              const next = new Set(s);
              next.delete(device);
              return next;
            }),
          flashMs,
        ),
      );
    }, [id]),
  );

  const alerting = useMemo(() => alertingDevices(plan?.alerts ?? []), [plan]);
  const stateOf = useCallback((d: PlanDevice) => markerState(d, alerting), [alerting]);

  if (!plan) return loaded.error ? <ErrorNote text={loaded.error} retry={loaded.reload} /> : <Loading />;
  const view = planView(plan.estate);
  const device = plan.devices.find((d) => d.id === selected) ?? null;
  const unplaced = plan.devices.filter((d) => !placed(d));
  const online = plan.devices.filter((d) => d.online).length;
  const select = (deviceId: string) => {
    setSelected(deviceId);
    document.querySelector<SVGGElement>(`.plan-marker[data-device-id="${CSS.escape(deviceId)}"]`)?.focus();
  };

  return (
    <>
      {loaded.error && <ErrorNote text={loaded.error} retry={loaded.reload} />}
      <p className="note plan-summary">
        {view && `${t('plan.size', { w: plan.estate.plan_width ?? 0, h: plan.estate.plan_height ?? 0 })} · `}
        {t('plan.counts', { b: plan.buildings.length, d: plan.devices.length, o: online })} <LiveState state={live} />
      </p>
      <div className="plan-layout">
        <div className="plan-main">
          {view ? (
            <>
              <PlanDrawing plan={plan} view={view} stateOf={stateOf} flashing={flashing} selected={selected} onSelect={(d) => setSelected(d.id)} />
              <PlanLegend />
            </>
          ) : (
            <p className="state empty" data-testid="no-plan">
              {t('plan.noPlan', { name: plan.estate.name })}
            </p>
          )}
          {unplaced.length > 0 && (
            <p className="note">
              {t('plan.unplaced', { n: unplaced.length })} {unplaced.map((d) => d.name).join('、')}
            </p>
          )}
        </div>
        <aside className="plan-side">
          {device ? <DeviceDetails device={device} plan={plan} state={stateOf(device)} onClose={() => setSelected(null)} /> : <p className="note">{t('plan.pick')}</p>}
          <h2 id="plan-alerts-title">
            {t('plan.openAlerts')} <span className="count">{plan.alerts.length}</span>
          </h2>
          {plan.alerts.length === 0 ? (
            <Empty text={t('plan.noAlerts')} />
          ) : (
            <ul className="plan-alerts" aria-labelledby="plan-alerts-title" data-testid="plan-alerts">
              {plan.alerts.map((a) => {
                const on = plan.devices.find((d) => d.id === a.device_id);
                return (
                  <li key={a.id} data-alert-id={a.id} data-device-id={a.device_id ?? undefined} className={a.device_id && flashing.has(a.device_id) ? 'flash' : undefined}>
                    <Badge tone={levelTone[a.level] ?? 'muted'}>{label('level', a.level)}</Badge> {a.title}
                    <span className="note">
                      {' '}
                      {formatTime(a.last_ts, { seconds: true })} · {label('alert', a.status)}
                      {a.count > 1 ? ` · ×${a.count}` : ''}
                    </span>
                    {on && placed(on) && (
                      <button type="button" className="link" onClick={() => select(on.id)}>
                        {t('plan.showDevice')}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </aside>
      </div>
    </>
  );
}

function DeviceDetails({ device, plan, state, onClose }: { device: PlanDevice; plan: Plan; state: MarkerState; onClose: () => void }) {
  const building = plan.buildings.find((b) => b.id === device.building_id);
  // Reloaded when the device's state changes, so a pushed alert shows here too.
  const recent = useLoad(
    () => get<Page<PlanAlert>>(`/api/v1/alerts${query({ estate_id: plan.estate.id, device_id: device.id, limit: 10 })}`),
    [device.id, state],
  );
  return (
    <section className="plan-device" aria-labelledby="plan-device-title" data-testid="plan-device">
      <div className="page-head">
        <h2 id="plan-device-title">{device.name}</h2>
        <button type="button" className="quiet" onClick={onClose}>
          {t('plan.close')}
        </button>
      </div>
      <dl className="facts">
        <dt>{t('plan.kind')}</dt>
        <dd>{label('deviceKind', device.kind)}</dd>
        <dt>{t('plan.state')}</dt>
        <dd>
          <Badge tone={stateTone[state]}>{t(`plan.state.${state}`)}</Badge>
        </dd>
        <dt>{t('plan.lastSeen')}</dt>
        <dd>{device.last_seen ? formatTime(device.last_seen, { seconds: true }) : t('plan.never')}</dd>
        <dt>{t('plan.place')}</dt>
        <dd>
          {label('position', device.position)}
          {building ? ` · ${building.name}` : ''}
        </dd>
        <dt>{t('plan.coordinates')}</dt>
        <dd>{placed(device) ? `${device.plan_x}, ${device.plan_y}` : '—'}</dd>
        <dt>ID</dt>
        <dd>
          <code>{device.id}</code>
        </dd>
      </dl>
      <h3>{t('plan.recentAlerts')}</h3>
      <Guard state={recent}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty text={t('plan.noRecentAlerts')} />
          ) : (
            <ul className="plan-alerts" data-testid="device-alerts">
              {page.items.map((a) => (
                <li key={a.id} data-alert-id={a.id}>
                  <Badge tone={levelTone[a.level] ?? 'muted'}>{label('level', a.level)}</Badge> {a.title}
                  <span className="note">
                    {' '}
                    {formatTime(a.last_ts, { seconds: true })} · {label('alert', a.status)}
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </Guard>
    </section>
  );
}
