// The site plan (/plan): pick an estate of the caller's region and see its buildings and devices
// where the registry places them, each device coloured by its state. Alerts pushed on the live
// stream mark their device at once and join the list beside the plan; a marker opened shows the
// device's details and its recent alerts. Those who may edit buildings or devices place one by
// picking it and clicking the spot on the drawing.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { currentUser, errorText, get, query, request, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { useLiveStream } from '../../shared/live';
import { linkClick, navigate, useLocation } from '../../shared/router';
import { formatTime } from '../../shared/time';
import { Badge, Empty, ErrorNote, Guard, Loading, useLoad } from '../../shared/ui';
import { PlanDrawing, PlanLegend } from '../PlanDrawing';
import { mayEdit, recordKind } from '../registry/forms';
import {
  alertingDevices,
  applyAlert,
  fromView,
  markerState,
  movedTo,
  placeables,
  placed,
  planView,
  type MarkerState,
  type Placeable,
  type PlanAlert,
  type PlanDevice,
  type SitePlan as Plan,
} from '../site_plan';
import { LiveState } from './LiveState';

const levelTone: Record<string, string> = { critical: 'bad', high: 'bad', normal: 'warn', low: 'muted' };
const stateTone: Record<MarkerState, string> = { alerting: 'bad', online: 'ok', offline: 'muted' };
// How long a marker flashes after its alert arrives; it stays marked alerting while the alert is open.
const flashMs = 8000;
const keyOf = (p: Placeable) => `${p.kind}:${p.id}`;

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
  const [placing, setPlacing] = useState<Placeable | null>(null);
  const [saving, setSaving] = useState(false);
  const [placedNote, setPlacedNote] = useState<string | null>(null);
  const [placeError, setPlaceError] = useState<string | null>(null);
  const roles = currentUser()?.roles ?? [];
  const may = { buildings: mayEdit(recordKind('buildings'), roles), devices: mayEdit(recordKind('devices'), roles) };
  const loaded = useLoad(async () => {
    const p = await get<Plan>(`/api/v1/estates/${id}/plan`);
    setPlan(p);
    return p;
  }, [id]);
  useEffect(() => () => timers.current.forEach((timer) => window.clearTimeout(timer)), []);
  useEffect(() => {
    if (!placing) return;
    const cancel = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setPlacing(null);
      setPlaceError(null);
    };
    document.addEventListener('keydown', cancel);
    return () => document.removeEventListener('keydown', cancel);
  }, [placing]);

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
  const offered = view ? placeables(plan, may) : [];
  const movable = offered.find((p) => p.kind === 'device' && p.id === device?.id);
  const startPlacing = (what: Placeable | null) => {
    setPlacing(what);
    setPlacedNote(null);
    setPlaceError(null);
  };
  const placeAt = async (what: Placeable, x: number, y: number) => {
    if (!view || saving) return;
    const at = fromView(view, plan.estate, x, y);
    setSaving(true);
    try {
      await request('PATCH', `/api/v1/${what.kind}s/${encodeURIComponent(what.id)}`, { plan_x: at.x, plan_y: at.y });
      setPlan((p) => (p ? movedTo(p, what, at.x, at.y) : p));
      setPlacing(null);
      setPlaceError(null);
      setPlacedNote(t('plan.placed', { name: what.name, x: at.x, y: at.y }));
    } catch (e) {
      setPlaceError(errorText(e));
    } finally {
      setSaving(false);
    }
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
          {offered.length > 0 && <PlaceControls offered={offered} placing={placing} done={placedNote} onPick={startPlacing} />}
          {placeError && <ErrorNote text={placeError} />}
          {view ? (
            <>
              <PlanDrawing
                plan={plan}
                view={view}
                stateOf={stateOf}
                flashing={flashing}
                selected={selected}
                onSelect={(d) => setSelected(d.id)}
                onPlace={placing ? (x, y) => void placeAt(placing, x, y) : undefined}
              />
              <PlanLegend />
            </>
          ) : (
            <p className="state empty" data-testid="no-plan">
              {t('plan.noPlan', { name: plan.estate.name })}
              {mayEdit(recordKind('estates'), roles) && (
                <>
                  {' '}
                  <a href={`/registry/estates/${id}`} onClick={(e) => linkClick(e, `/registry/estates/${id}`)}>
                    {t('plan.fillSize', { name: plan.estate.name })}
                  </a>
                </>
              )}
            </p>
          )}
          {unplaced.length > 0 && (
            <p className="note">
              {t('plan.unplaced', { n: unplaced.length })} {unplaced.map((d) => d.name).join('、')}
            </p>
          )}
        </div>
        <aside className="plan-side">
          {device ? (
            <DeviceDetails
              device={device}
              plan={plan}
              state={stateOf(device)}
              onClose={() => setSelected(null)}
              onMove={movable ? () => startPlacing(movable) : undefined}
            />
          ) : (
            <p className="note">{t('plan.pick')}</p>
          )}
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

// The choice of what to place; then, on the same line so that the drawing stays put, what the
// next click does and a way out, or where the last one was placed.
function PlaceControls({
  offered,
  placing,
  done,
  onPick,
}: {
  offered: Placeable[];
  placing: Placeable | null;
  done: string | null;
  onPick: (what: Placeable | null) => void;
}) {
  const groups = (['building', 'device'] as const).map((kind) => ({ kind, items: offered.filter((p) => p.kind === kind) })).filter((g) => g.items.length > 0);
  return (
    <div className="plan-tools">
      <label className="inline">
        {t('plan.placeOn')}
        <select name="place" value={placing ? keyOf(placing) : ''} onChange={(e) => onPick(offered.find((p) => keyOf(p) === e.target.value) ?? null)}>
          <option value="">{t('plan.placeChoose')}</option>
          {groups.map(({ kind, items }) => (
            <optgroup key={kind} label={t(kind === 'building' ? 'plan.placeBuildings' : 'plan.placeDevices')}>
              {items.map((p) => (
                <option key={p.id} value={keyOf(p)}>
                  {p.placed ? p.name : t('plan.placeUnplaced', { name: p.name })}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {placing ? (
        <>
          <span className="plan-placing" role="status">
            {t('plan.placing', { name: placing.name })}
          </span>
          <button type="button" className="quiet" onClick={() => onPick(null)}>
            {t('common.cancel')}
          </button>
        </>
      ) : (
        done && (
          <span className="done-note" role="status">
            {done}
          </span>
        )
      )}
    </div>
  );
}

function DeviceDetails({
  device,
  plan,
  state,
  onClose,
  onMove,
}: {
  device: PlanDevice;
  plan: Plan;
  state: MarkerState;
  onClose: () => void;
  onMove?: () => void;
}) {
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
      {onMove && (
        <button type="button" onClick={onMove}>
          {t('plan.move')}
        </button>
      )}
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
