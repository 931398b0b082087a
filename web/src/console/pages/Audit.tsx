// The audit log (/admin/audit, admins): who read, searched, exported or imported what, when and
// why, newest first, filtered by action, user, object and time window; the filters live in the
// address so a filtered view can be shared.
import { useEffect, useState, type FormEvent } from 'react';
import { errorText, get, query, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { navigate, useLocation } from '../../shared/router';
import { formatTime, zoneTimestamp } from '../../shared/time';
import { Empty, ErrorNote, Loading } from '../../shared/ui';

interface AuditEntry {
  id: number;
  ts: string;
  user: string;
  action: string;
  object: string;
  object_id: string;
  purpose: string;
  address: string;
  detail: string;
}

// A search's detail is its query string as sent: shown decoded, so the purpose and names read as
// typed; text that is not valid percent-encoding is shown as it is.
function readable(detail: string): string {
  try {
    return decodeURIComponent(detail.replace(/\+/g, ' '));
  } catch {
    return detail;
  }
}

const actions = ['read', 'list', 'export', 'import', 'trajectory', 'face_search', 'login', 'create', 'deactivate', 'activate'];
const names = ['action', 'user', 'object', 'from', 'to'] as const;

export function Audit() {
  useLang();
  const location = useLocation();
  const params = new URLSearchParams(location.split('?')[1] ?? '');
  const filters = Object.fromEntries(names.map((n) => [n, params.get(n) ?? ''])) as Record<(typeof names)[number], string>;
  const key = query(filters);
  const [draft, setDraft] = useState(filters);
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (cursor: string | null) => {
    setLoading(true);
    try {
      const page = await get<Page<AuditEntry>>(
        `/api/v1/audit${query({
          ...filters,
          from: filters.from ? zoneTimestamp(filters.from) : undefined,
          to: filters.to ? zoneTimestamp(filters.to) : undefined,
          cursor,
          limit: 100,
        })}`,
      );
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
    setDraft(filters);
    void load(null);
  }, [key]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/admin/audit${query(draft)}`, true);
  };
  const set = (name: (typeof names)[number]) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value }));

  return (
    <section aria-labelledby="audit-title">
      <div className="page-head">
        <h1 id="audit-title">{t('audit.title')}</h1>
      </div>
      <form className="filters" role="search" onSubmit={submit}>
        <label>
          {t('audit.action')}
          <select name="action" value={draft.action} onChange={set('action')}>
            <option value="">{t('common.all')}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {label('auditAction', a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.user')}
          <input name="user" value={draft.user} onChange={set('user')} size={12} />
        </label>
        <label>
          {t('audit.object')}
          <input name="object" value={draft.object} onChange={set('object')} size={12} />
        </label>
        <label>
          {t('common.from')}
          <input name="from" type="datetime-local" value={draft.from} onChange={set('from')} />
        </label>
        <label>
          {t('common.to')}
          <input name="to" type="datetime-local" value={draft.to} onChange={set('to')} />
        </label>
        <button type="submit">{t('registry.search')}</button>
      </form>
      {error && <ErrorNote text={error} retry={() => void load(null)} />}
      {items === null ? (
        !error && <Loading />
      ) : items.length === 0 ? (
        <Empty text={t('common.empty')} />
      ) : (
        <>
          <table className="grid" aria-labelledby="audit-title" data-testid="audit">
            <thead>
              <tr>
                <th scope="col">{t('audit.time')}</th>
                <th scope="col">{t('audit.user')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.object')}</th>
                <th scope="col">{t('audit.purpose')}</th>
                <th scope="col">{t('audit.detail')}</th>
                <th scope="col">{t('audit.address')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td className="nowrap">{formatTime(a.ts, { seconds: true })}</td>
                  <td>{a.user}</td>
                  <td>{label('auditAction', a.action)}</td>
                  <td>
                    {a.object}
                    {a.object_id ? ` ${a.object_id}` : ''}
                  </td>
                  <td>{a.purpose || '—'}</td>
                  <td className="text detail">{readable(a.detail) || '—'}</td>
                  <td>{a.address}</td>
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
