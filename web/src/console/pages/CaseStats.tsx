// Case statistics (案件统计) for a county's review: the figures of GET /api/v1/stats/cases over a
// chosen window and region — 办结率, on-time and satisfaction rates — by level, category, region
// and month, what keeps coming back (GET /api/v1/stats/cases/recurring), and a CSV of it all
// made in the browser.
import { useState, type FormEvent } from 'react';
import { get, query, type Page } from '../../shared/api';
import { label, t, useLang, type WordKey } from '../../shared/i18n';
import { navigate, useLocation } from '../../shared/router';
import { zoneDate, zoneTimestamp } from '../../shared/time';
import { Empty, Guard, useLoad } from '../../shared/ui';
import { Chart, palette, type ChartOption } from '../Chart';
import {
  figureKeys,
  figureText,
  groupRows,
  toCsv,
  type CaseStatsAnswer,
  type FigureKey,
  type GroupRow,
  type Recurrence,
  type RecurringAnswer,
} from '../case_stats';
import { regionTree, type Region } from '../dashboard_data';

// The figures the group tables show; the export carries every one.
const tableKeys: FigureKey[] = ['total', 'resolved', 'resolution_rate', 'on_time_rate', 'satisfaction', 'satisfied_rate'];
const tiles: FigureKey[] = [
  'total',
  'resolution_rate',
  'on_time_rate',
  'satisfaction',
  'satisfied_rate',
  'mediation_success_rate',
  'pre_litigation_rate',
  'mean_hours_to_resolve',
  'p90_hours_to_resolve',
];

const figureName = (key: FigureKey) => t(`figure.${key}` as WordKey);

// The day after a calendar date in the estates' zone.
function nextDay(date: string): string {
  return zoneDate(Date.parse(zoneTimestamp(`${date}T00:00`)) + 86_400_000);
}

export function CaseStats() {
  useLang();
  const params = new URLSearchParams(useLocation().split('?')[1] ?? '');
  const today = zoneDate(Date.now());
  const chosen = {
    from: params.get('from') ?? zoneDate(Date.now() - 29 * 86_400_000),
    to: params.get('to') ?? today,
    region: params.get('region') ?? '',
  };
  const [form, setForm] = useState(chosen);
  const key = query(chosen);
  // The window's days in the estates' zone, the last one included: [from 00:00, the day after to).
  const api = query({
    region_id: chosen.region || undefined,
    from: zoneTimestamp(`${chosen.from}T00:00`),
    to: zoneTimestamp(`${nextDay(chosen.to)}T00:00`),
  });
  const regions = useLoad(() => get<Page<Region>>('/api/v1/regions?limit=1000'), []);
  const categories = useLoad(() => get<Page<{ id: string; name: string }>>('/api/v1/cases/categories'), []);
  const stats = useLoad(() => get<CaseStatsAnswer>(`/api/v1/stats/cases${api}`), [key]);
  const recurring = useLoad(() => get<RecurringAnswer>(`/api/v1/stats/cases/recurring${api}`), [key]);

  const categoryName = (id: string) => categories.data?.items.find((c) => c.id === id)?.name ?? id;
  const regionName = regions.data?.items.find((r) => String(r.id) === chosen.region)?.name ?? t('dash.allMine');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/stats/cases${query(form)}`, true);
  };

  const exportCsv = (s: CaseStatsAnswer, r: RecurringAnswer | null) => {
    const head = [t('stats.group'), t('stats.name'), ...figureKeys.map(figureName)];
    const line = (group: string, row: GroupRow) => [group, row.name, ...figureKeys.map((k) => figureText(k, row.figures[k]))];
    const rows: (string | number)[][] = [
      [t('stats.title'), regionName, `${chosen.from} – ${chosen.to}`],
      [],
      head,
      line(t('stats.all'), { key: '', name: regionName, figures: s }),
      ...groupRows(s.by_level, (k) => label('caseLevel', k)).map((row) => line(t('stats.byLevel'), row)),
      ...groupRows(s.by_category, categoryName).map((row) => line(t('stats.byCategory'), row)),
      ...groupRows(s.by_region, (k) => s.by_region[k].name).map((row) => line(t('stats.byRegion'), row)),
      ...groupRows(s.by_month, (k) => k, true).map((row) => line(t('stats.byMonth'), row)),
    ];
    if (r) {
      const recurrence = (group: string, item: Recurrence) => [group, [item.category_name ?? item.category, item.estate_name].filter(Boolean).join(' · '), item.count, item.previous, item.change];
      rows.push([], [t('stats.recurring'), t('stats.name'), t('stats.count'), t('stats.previous'), t('stats.change')]);
      rows.push(...r.places.map((p) => recurrence(t('stats.places'), p)), ...r.categories.map((c) => recurrence(t('stats.categories'), c)));
    }
    const blob = new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `案件统计_${chosen.from}_${chosen.to}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  };

  return (
    <section aria-labelledby="stats-title">
      <div className="page-head">
        <h1 id="stats-title">{t('stats.title')}</h1>
        {stats.data && (
          <button type="button" onClick={() => exportCsv(stats.data as CaseStatsAnswer, recurring.data)}>
            {t('stats.export')}
          </button>
        )}
      </div>
      <form className="filters" onSubmit={submit}>
        <label>
          {t('common.from')}
          <input type="date" name="from" required max={form.to} value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </label>
        <label>
          {t('common.to')}
          <input type="date" name="to" required min={form.from} value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </label>
        {regions.data && regions.data.items.length > 1 && (
          <label>
            {t('dash.region')}
            <select name="region" value={form.region} onChange={(e) => setForm({ ...form, region: e.target.value })}>
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
        <button type="submit" className="primary">
          {t('stats.show')}
        </button>
      </form>
      <Guard state={stats}>
        {(s) =>
          s.total === 0 ? (
            <Empty text={t('stats.none')} />
          ) : (
            <>
              <div className="tiles" data-testid="stats-tiles">
                {tiles.map((k) => (
                  <div key={k} className="tile" data-figure={k}>
                    <div className="tile-name">{figureName(k)}</div>
                    <div className="tile-value">{figureText(k, s[k]) || '—'}</div>
                  </div>
                ))}
              </div>
              <div className="panels">
                <section className="panel" aria-label={t('stats.byMonth')}>
                  <h2>{t('stats.byMonth')}</h2>
                  <MonthChart s={s} />
                </section>
                <section className="panel" aria-label={t('stats.byCategory')}>
                  <h2>{t('stats.byCategory')}</h2>
                  <CategoryChart rows={groupRows(s.by_category, categoryName).slice(0, 10)} />
                </section>
              </div>
              <GroupTable title={t('stats.byLevel')} rows={groupRows(s.by_level, (k) => label('caseLevel', k))} testId="by-level" />
              <GroupTable title={t('stats.byCategory')} rows={groupRows(s.by_category, categoryName)} testId="by-category" />
              {Object.keys(s.by_region).length > 0 && (
                <GroupTable title={t('stats.byRegion')} rows={groupRows(s.by_region, (k) => s.by_region[k].name)} testId="by-region" />
              )}
            </>
          )
        }
      </Guard>
      <h2>{t('stats.recurring')}</h2>
      <Guard state={recurring}>
        {(r) => (
          <div className="panels">
            <RecurrenceTable title={t('stats.places')} items={r.places} />
            <RecurrenceTable title={t('stats.categories')} items={r.categories} />
          </div>
        )}
      </Guard>
    </section>
  );
}

function GroupTable({ title, rows, testId }: { title: string; rows: GroupRow[]; testId: string }) {
  const id = `${testId}-title`;
  return (
    <>
      <h2 id={id}>{title}</h2>
      <table className="grid" aria-labelledby={id} data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t('stats.name')}</th>
            {tableKeys.map((k) => (
              <th key={k} scope="col" className="num">
                {figureName(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.name}</th>
              {tableKeys.map((k) => (
                <td key={k} className="num">
                  {figureText(k, row.figures[k]) || '—'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function RecurrenceTable({ title, items }: { title: string; items: Recurrence[] }) {
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      {items.length === 0 ? (
        <Empty text={t('stats.noRecurring')} />
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('stats.name')}</th>
              <th scope="col" className="num">
                {t('stats.count')}
              </th>
              <th scope="col" className="num">
                {t('stats.previous')}
              </th>
              <th scope="col" className="num">
                {t('stats.change')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={`${item.category}-${item.estate_id ?? ''}`}>
                <th scope="row">{[item.category_name ?? item.category, item.estate_name].filter(Boolean).join(' · ')}</th>
                <td className="num">{item.count}</td>
                <td className="num">{item.previous}</td>
                <td className="num">{item.change > 0 ? `+${item.change}` : item.change}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function MonthChart({ s }: { s: CaseStatsAnswer }) {
  const months = groupRows(s.by_month, (k) => k, true);
  const option: ChartOption = {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 12, top: 28, bottom: 28 },
    xAxis: { type: 'category', data: months.map((m) => m.key) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'bar', name: figureName('total'), data: months.map((m) => m.figures.total) },
      { type: 'bar', name: figureName('resolved'), data: months.map((m) => m.figures.resolved) },
    ],
  };
  return <Chart option={option} summary={months.map((m) => `${m.key} ${m.figures.total}/${m.figures.resolved}`).join('，')} />;
}

function CategoryChart({ rows }: { rows: GroupRow[] }) {
  const option: ChartOption = {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 96, right: 12, top: 28, bottom: 20 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true },
    series: [
      { type: 'bar', name: figureName('total'), data: rows.map((r) => r.figures.total) },
      { type: 'bar', name: figureName('resolved'), data: rows.map((r) => r.figures.resolved) },
    ],
  };
  return <Chart option={option} height={Math.max(220, rows.length * 36 + 48)} summary={rows.map((r) => `${r.name} ${r.figures.total}`).join('，')} />;
}
