// The case queue: the cases the user's role and region see, oldest first, filtered by status,
// level, lateness and text; late ones stand out.
import { useCallback, useEffect, useState } from 'react';
import { currentUser, errorText, get, query, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { linkClick, navigate, useLocation } from '../../shared/router';
import { useLiveStream } from '../../shared/live';
import { formatTime } from '../../shared/time';
import { Badge, Empty, ErrorNote, Loading } from '../../shared/ui';
import { caseTone } from '../../shared/tones';
import { levels } from '../case_actions';
import { mayUse } from '../navigation';
import { LiveState } from './LiveState';

export interface CaseSummary {
  id: number;
  created_at: string;
  category: string;
  category_name: string | null;
  description: string;
  status: string;
  level: string | null;
  due_at: string | null;
  overdue: boolean;
  lead: { id: number; name: string } | null;
}

const statuses = ['submitted', 'accepted', 'triaged', 'assigned', 'in_progress', 'resolved', 'feedback', 'rated', 'closed', 'merged'];

export function Cases() {
  useLang();
  const location = useLocation();
  const params = new URLSearchParams(location.split('?')[1] ?? '');
  // The queue shows the cases still being worked unless asked otherwise (open=all shows every case).
  const openParam = params.get('open') ?? 'true';
  const filters = {
    open: openParam,
    status: params.get('status') ?? '',
    level: params.get('level') ?? '',
    overdue: params.get('overdue') === 'true',
    q: params.get('q') ?? '',
  };
  const [items, setItems] = useState<CaseSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [text, setText] = useState(filters.q);
  const key = query(filters);

  const load = async (cursor: string | null) => {
    setLoading(true);
    try {
      const open = filters.open === 'all' || filters.status ? undefined : filters.open;
      const page = await get<Page<CaseSummary>>(`/api/v1/cases${query({ ...filters, open, cursor, limit: 100 })}`);
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items));
      setNext(page.next);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    setItems(null);
    void load(null);
  }, [key]);

  // A pushed change updates its row where it is; the summary carries no description, so the
  // row keeps the one it has.
  const live = useLiveStream(
    'case',
    useCallback((event: string, data: unknown) => {
      if (event !== 'case') return;
      const pushed = data as Partial<CaseSummary> & { id: number };
      setItems((list) => list && list.map((c) => (c.id === pushed.id ? { ...c, ...pushed, description: c.description } : c)));
    }, []),
  );

  const change = (name: string, value: string | boolean) => navigate(`/cases${query({ ...filters, [name]: value })}`, true);

  return (
    <section aria-labelledby="cases-title">
      <div className="page-head">
        <h1 id="cases-title">{t('cases.title')}</h1>
        <LiveState state={live} />
        {mayUse(currentUser()?.roles ?? [], ['grid_worker', 'mediator', 'police', 'department']) && (
          <a className="button-link" href="/cases/new" onClick={(e) => linkClick(e, '/cases/new')}>
            {t('intake.title')}
          </a>
        )}
      </div>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          change('q', text);
        }}
      >
        <label>
          {t('cases.filterOpen')}
          <select name="open" value={filters.open} disabled={filters.status !== ''} onChange={(e) => change('open', e.target.value)}>
            <option value="true">{t('cases.open')}</option>
            <option value="false">{t('cases.finished')}</option>
            <option value="all">{t('common.all')}</option>
          </select>
        </label>
        <label>
          {t('cases.filterStatus')}
          <select name="status" value={filters.status} onChange={(e) => change('status', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {label('caseStatus', s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('cases.filterLevel')}
          <select name="level" value={filters.level} onChange={(e) => change('level', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {levels.map((l) => (
              <option key={l} value={l}>
                {label('caseLevel', l)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" name="overdue" checked={filters.overdue} onChange={(e) => change('overdue', e.target.checked)} />
          {t('cases.overdueOnly')}
        </label>
        <label>
          {t('cases.search')}
          <input type="search" name="q" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      </form>
      {error && <ErrorNote text={error} retry={() => void load(null)} />}
      {items === null ? (
        !error && <Loading />
      ) : items.length === 0 ? (
        <Empty text={t('cases.none')} />
      ) : (
        <>
          <table className="grid" aria-labelledby="cases-title" data-testid="cases">
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('cases.id')}
                </th>
                <th scope="col">{t('cases.created')}</th>
                <th scope="col">{t('cases.category')}</th>
                <th scope="col">{t('cases.description')}</th>
                <th scope="col">{t('cases.status')}</th>
                <th scope="col">{t('cases.level')}</th>
                <th scope="col">{t('cases.due')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} className={c.overdue ? 'late' : undefined} data-case-id={c.id}>
                  <td className="num">
                    <a href={`/cases/${c.id}`} onClick={(e) => linkClick(e, `/cases/${c.id}`)}>
                      #{c.id}
                    </a>
                  </td>
                  <td className="nowrap">{formatTime(c.created_at)}</td>
                  <td>{c.category_name ?? c.category}</td>
                  <td className="text">{c.description}</td>
                  <td>
                    <Badge tone={caseTone[c.status] ?? 'muted'}>{label('caseStatus', c.status)}</Badge>
                  </td>
                  <td>{c.level ? label('caseLevel', c.level) : '—'}</td>
                  <td className="nowrap">
                    {formatTime(c.due_at)}
                    {c.overdue && (
                      <>
                        {' '}
                        <Badge tone="bad">{t('cases.overdue')}</Badge>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {next && (
            <button type="button" className="more" disabled={loading} onClick={() => void load(next)}>
              {loading ? t('common.loading') : t('common.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
