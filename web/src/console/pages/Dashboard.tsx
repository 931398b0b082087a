// The overview: counts for the user's region, the last 30 days in charts, and per-estate figures.
// Each panel asks only for what the user's roles may read, and loads on its own.
import { useEffect, useMemo, type ReactNode } from 'react';
import { currentUser, get, query, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { navigate, useLocation } from '../../shared/router';
import { lastDays, zoneDate } from '../../shared/time';
import { Guard, useLoad, type Loaded } from '../../shared/ui';
import { Chart, palette, type ChartOption } from '../Chart';
import {
  caseStatuses,
  countOf,
  monthOf,
  openCases,
  percent,
  series,
  stageRates,
  type DailyStats,
  type EstateStatsAnswer,
  type IncidentStats,
  type PolicingMonth,
  type Region,
  regionTree,
} from '../dashboard_data';
import { mayUse } from '../navigation';

const none = Promise.resolve(null);

interface CaseStats {
  total: number;
  resolved: number;
  resolution_rate: number | null;
  on_time_rate: number | null;
  satisfaction: number | null;
  by_month: Record<string, { total: number; resolved: number }>;
}

export function Dashboard() {
  useLang();
  const roles = currentUser()?.roles ?? [];
  const may = (allowed: string[]) => mayUse(roles, allowed);
  const now = useMemo(() => Date.now(), []);
  const days = useMemo(() => lastDays(30, now), [now]);
  const today = days[days.length - 1];
  const tomorrow = zoneDate(now + 86_400_000);
  const location = useLocation();
  const region = new URLSearchParams(location.split('?')[1] ?? '').get('region') ?? '';
  const range = { from: days[0], to: tomorrow, region_id: region };
  const inRegion = query({ region_id: region }).replace('?', '&');
  const regions = useLoad(() => get<Page<Region>>('/api/v1/regions?limit=1000'), []);

  const estates = useLoad(
    () => (may(['police', 'security', 'grid_worker']) ? get<EstateStatsAnswer>(`/api/v1/stats/estates${query(range)}`) : none),
    [region],
  );
  const alerts = useLoad(
    () => (may(['police', 'security', 'grid_worker']) ? get<Page<unknown>>(`/api/v1/alerts?open=true&limit=500${inRegion}`) : none),
    [region],
  );
  const incidents = useLoad(
    () => (may(['police', 'security', 'grid_worker']) ? get<Page<unknown>>(`/api/v1/incidents?open=true&limit=500${inRegion}`) : none),
    [region],
  );
  const response = useLoad(
    () => (may(['police', 'security', 'grid_worker']) ? get<IncidentStats>(`/api/v1/stats/incidents${query(range)}`) : none),
    [region],
  );
  const cases = useLoad(
    () => (may(['police', 'grid_worker', 'mediator', 'department']) ? get<CaseStats>(`/api/v1/stats/cases${query({ region_id: region })}`) : none),
    [region],
  );
  const daily = useLoad(
    () => (may(['police', 'security', 'grid_worker', 'mediator', 'department']) ? get<DailyStats>(`/api/v1/stats/daily${query({ region_id: region })}`) : none),
    [region],
  );
  const policing = useLoad(
    () => (may(['police', 'grid_worker', 'mediator']) ? get<{ months: PolicingMonth[] }>(`/api/v1/stats/policing${query({ region_id: region })}`) : none),
    [region],
  );

  // The figures move all day (passages, alarms, cases): read them again every minute.
  const reloads = [estates.reload, alerts.reload, incidents.reload, response.reload, cases.reload, daily.reload, policing.reload];
  useEffect(() => {
    const id = setInterval(() => reloads.forEach((reload) => reload()), 60_000);
    return () => clearInterval(id);
    // The reload functions never change.
  }, []);

  return (
    <section aria-labelledby="dash-title">
      <div className="page-head">
        <h1 id="dash-title">{t('dash.title')}</h1>
        {regions.data && regions.data.items.length > 1 && (
          <label className="inline">
            {t('dash.region')}
            <select name="region" value={region} onChange={(e) => navigate(`/${query({ region: e.target.value })}`, true)}>
              <option value="">{t('dash.allMine')}</option>
              {regionTree(regions.data.items).map(({ region: r, depth }) => (
                <option key={r.id} value={r.id}>
                  {'\u3000'.repeat(depth)}
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="tiles">
        <Tile state={estates} name={t('dash.estates')} value={(d) => String(d.total.estates)} />
        <Tile
          state={estates}
          name={t('dash.devicesOnline')}
          value={(d) => `${d.total.devices.online} / ${d.total.devices.total}`}
          tone={(d) => (d.total.devices.online < d.total.devices.total ? 'warn' : 'ok')}
        />
        <Tile state={estates} name={t('dash.passagesToday')} value={(d) => String(d.total.passages.by_day[today] ?? 0)} />
        <Tile state={alerts} name={t('dash.openAlerts')} value={countOf} tone={(d) => (d.items.length ? 'bad' : 'ok')} href="/alerts" />
        <Tile state={incidents} name={t('dash.openIncidents')} value={countOf} tone={(d) => (d.items.length ? 'bad' : 'ok')} href="/incidents" />
        <Tile
          state={daily}
          name={t('dash.openCases')}
          value={(d) => (d.cases_by_status ? String(openCases(d.cases_by_status)) : '—')}
          href="/cases"
        />
        <Tile state={cases} name={t('dash.resolutionRate')} value={(d) => percent(d.resolution_rate)} href="/cases" />
        <Tile
          state={policing}
          name={t('dash.zeroShare')}
          value={(d) => {
            const month = monthOf(d.months, today);
            return month ? `${percent(month.zero_incident_share)} (${month.zero_incident_estates}/${month.estates})` : '—';
          }}
        />
      </div>

      <div className="panels">
        <Panel title={t('dash.passages30')} state={estates}>
            {(d) => (
              <Chart
                summary={`${t('dash.passages30')}: ${d.total.passages.total}`}
                option={barOption(
                  days.map((day) => day.slice(5)),
                  [{ name: t('dash.passages30'), data: series(d.total.passages.by_day, days) }],
                )}
              />
            )}
          </Panel>
          <Panel title={t('dash.daily')} state={daily}>
            {(d) => {
              const lines = [
                { name: t('dash.alertsDaily'), data: d.alerts },
                { name: t('dash.incidentsDaily'), data: d.incidents },
                { name: t('dash.casesDaily'), data: d.cases },
              ].filter((l): l is { name: string; data: number[] } => l.data !== undefined);
              return (
                <Chart
                  summary={lines.map((l) => `${l.name} ${l.data.reduce((a, b) => a + b, 0)}`).join('，')}
                  option={barOption(
                    d.days.map((day) => day.slice(5)),
                    lines,
                    'line',
                  )}
                />
              );
            }}
          </Panel>
          {(daily.loading || daily.data?.cases_by_status) && (
            <Panel title={t('dash.casesByStatus')} state={daily}>
              {(d) => {
                const byStatus = d.cases_by_status ?? {};
                return (
                <Chart
                  summary={caseStatuses.map((s) => `${label('caseStatus', s)} ${byStatus[s] ?? 0}`).join('，')}
                  option={barOption(
                    caseStatuses.map((s) => label('caseStatus', s)),
                    [{ name: t('dash.casesByStatus'), data: caseStatuses.map((s) => byStatus[s] ?? 0) }],
                  )}
                />
              );
            }}
            </Panel>
          )}
          <Panel title={t('dash.casesByMonth')} state={cases}>
            {(d) => {
              const months = Object.keys(d.by_month).sort();
              return (
                <>
                  <p className="figures">
                    {t('dash.caseTotal')} <b>{d.total}</b> · {t('dash.caseResolved')} <b>{d.resolved}</b> · {t('dash.onTimeRate')}{' '}
                    <b>{percent(d.on_time_rate)}</b> · {t('dash.satisfaction')} <b>{d.satisfaction?.toFixed(2) ?? '—'}</b>
                  </p>
                  <Chart
                    summary={`${t('dash.casesByMonth')}: ${d.total} / ${d.resolved}`}
                    option={barOption(months, [
                      { name: t('dash.caseTotal'), data: months.map((m) => d.by_month[m].total) },
                      { name: t('dash.caseResolved'), data: months.map((m) => d.by_month[m].resolved) },
                    ])}
                  />
                </>
              );
            }}
          </Panel>
          <Panel title={t('dash.zeroByMonth')} state={policing}>
            {(d) => (
              <Chart
                summary={t('dash.zeroByMonth')}
                option={lineOption(
                  d.months.map((m) => m.month),
                  d.months.map((m) => (m.zero_incident_share === null ? null : Math.round(m.zero_incident_share * 1000) / 10)),
                )}
              />
            )}
          </Panel>
          <Panel title={t('dash.incidentResponse')} state={response}>
            {(d) => {
              const rates = stageRates(d);
              return (
                <dl className="stages">
                  {(['acknowledge', 'dispatch', 'arrive'] as const).map((s) => (
                    <div key={s}>
                      <dt>{label('stage', s)}</dt>
                      <dd>
                        {t('dash.onTime')} {percent(rates[s])}
                      </dd>
                    </div>
                  ))}
                </dl>
              );
            }}
          </Panel>
      </div>

      {estates.data && (
        <section aria-labelledby="estates-title">
          <h2 id="estates-title">{t('dash.byEstate')}</h2>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('dash.estate')}</th>
                <th scope="col">{t('dash.devicesOnline')}</th>
                <th scope="col" className="num">
                  {t('dash.passagesToday')}
                </th>
                <th scope="col" className="num">
                  {t('dash.alarms')}
                </th>
                <th scope="col">{t('dash.tier')}</th>
              </tr>
            </thead>
            <tbody>
              {estates.data.items.map((e) => (
                <tr key={e.estate_id}>
                  <td>{e.name}</td>
                  <td className={e.devices.online < e.devices.total ? 'warn' : undefined}>
                    {e.devices.online} / {e.devices.total}
                  </td>
                  <td className="num">{e.passages.by_day[today] ?? 0}</td>
                  <td className="num">{e.alarms}</td>
                  <td>{label('tier', e.compliance.tier ?? 'none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

function Tile<T>({
  state,
  name,
  value,
  tone,
  href,
}: {
  state: Loaded<T | null>;
  name: string;
  value: (data: T) => string;
  tone?: (data: T) => string;
  href?: string;
}) {
  if (!state.loading && state.data === null && !state.error) return null;
  const body = state.data ? value(state.data) : state.error ? '!' : '…';
  const className = `tile ${state.data && tone ? tone(state.data) : ''}`;
  const content = (
    <>
      <span className="tile-name">{name}</span>
      <span className="tile-value" title={state.error ?? undefined}>
        {body}
      </span>
    </>
  );
  return href ? (
    <a className={className} href={href}>
      {content}
    </a>
  ) : (
    <div className={className}>{content}</div>
  );
}

// Hidden when the user's roles do not read its figures (the loader gave null without asking).
function Panel<T>({ title, state, children }: { title: string; state: Loaded<T | null>; children: (data: T) => ReactNode }) {
  if (!state.loading && state.data === null && !state.error) return null;
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      <Guard state={state as Loaded<T>}>{children}</Guard>
    </section>
  );
}

function barOption(categories: string[], bars: { name: string; data: number[] }[], type: 'bar' | 'line' = 'bar'): ChartOption {
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: bars.length > 1 ? { top: 0 } : undefined,
    grid: { left: 40, right: 12, top: bars.length > 1 ? 28 : 12, bottom: 28 },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', minInterval: 1 },
    series: bars.map((b) => ({ type, name: b.name, data: b.data })),
  };
}

function lineOption(categories: string[], values: (number | null)[]): ChartOption {
  return {
    color: [palette[1]],
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null ? '—' : `${v}%`) },
    grid: { left: 40, right: 12, top: 12, bottom: 28 },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [{ type: 'line', data: values, connectNulls: false }],
  };
}
