// One table page for every registry list (/registry/persons, /registry/rooms, ...): a search box
// and filters in the address, pages of 50 with "more", and an export that asks for its purpose.
import { useEffect, useRef, useState } from 'react';
import { currentUser, errorText, fetchBlob, get, query, saveBlob, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { linkClick, navigate, useLocation } from '../../shared/router';
import { formatTime } from '../../shared/time';
import { Empty, ErrorNote, Loading } from '../../shared/ui';
import { AskDialog } from '../AskDialog';
import { mayUse } from '../navigation';
import { mayEdit, recordKind, recordPath, registryEditors } from '../registry/forms';
import { useEstates } from '../registry/pickers';
import { cellText, filtersFrom, registryLists, type RegistryList } from '../registry/lists';

type Row = Record<string, unknown> & { id: number | string };

export function RegistryTabs({ current }: { current: string }) {
  useLang();
  const editor = mayUse(currentUser()?.roles ?? [], registryEditors);
  const tabs = [...registryLists.map((l) => ({ path: `/registry/${l.name}`, name: l.name, text: t(l.label) }))];
  if (editor) tabs.push({ path: '/registry/import', name: 'import', text: t('import.title') });
  return (
    <nav className="tabs" aria-label={t('nav.registry')}>
      {tabs.map((tab) => (
        <a key={tab.name} href={tab.path} aria-current={tab.name === current ? 'page' : undefined} onClick={(e) => linkClick(e, tab.path)}>
          {tab.text}
        </a>
      ))}
    </nav>
  );
}

export function Registry({ list }: { list: RegistryList }) {
  useLang();
  const location = useLocation();
  const filters = filtersFrom(list, new URLSearchParams(location.split('?')[1] ?? ''));
  const key = list.name + query(filters);
  // The rows with the filters they were read for: rows of the filters before are never shown
  // under the new ones, nor does a late answer to an old search replace a newer one.
  const [loaded, setLoaded] = useState<{ key: string; rows: Row[] } | null>(null);
  const latest = useRef(key);
  latest.current = key;
  const rows = loaded?.key === key ? loaded.rows : null;
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [text, setText] = useState(list.search ? (filters[list.search] ?? '') : '');
  const [asking, setAsking] = useState(false);
  const [exportNote, setExportNote] = useState<string | null>(null);
  const kind = recordKind(list.name);
  const editor = mayEdit(kind, currentUser()?.roles ?? []);
  // Estates are named rather than numbered, in the cells and in the estate filter.
  const estates = useEstates();

  const load = async (cursor: string | null) => {
    const asked = key;
    setLoading(true);
    try {
      const page = await get<Page<Row>>(`/api/v1/${list.name}${query({ ...filters, cursor, limit: 50 })}`);
      if (latest.current !== asked) return;
      setLoaded((old) => ({ key: asked, rows: cursor && old?.key === asked ? [...old.rows, ...page.items] : page.items }));
      setNext(page.next);
      setError(null);
    } catch (e) {
      if (latest.current === asked) setError(errorText(e));
    } finally {
      if (latest.current === asked) setLoading(false);
    }
  };
  useEffect(() => {
    setText(list.search ? (filters[list.search] ?? '') : '');
    void load(null);
  }, [key]);

  const change = (name: string, value: string) => navigate(`/registry/${list.name}${query({ ...filters, [name]: value })}`, true);

  const exportList = async (purpose: string) => {
    setAsking(false);
    setExportNote(t('registry.exporting'));
    try {
      const blob = await fetchBlob(`/api/v1/${list.name}/export${query({ ...filters, purpose })}`);
      saveBlob(blob, `${list.name}.csv`);
      setExportNote(null);
    } catch (e) {
      setExportNote(errorText(e));
    }
  };

  const cell = (row: Row, field: string, enumPrefix?: string) => {
    const value = row[field];
    if (enumPrefix && typeof value === 'string') return label(enumPrefix, value);
    if (field === 'last_seen' && typeof value === 'string') return formatTime(value);
    if (field === 'estate_id' && typeof value === 'number') return estates.find((e) => e.id === value)?.name ?? String(value);
    return cellText(value, t('common.yes'), t('common.no'));
  };

  return (
    <section aria-labelledby="registry-title">
      <div className="page-head">
        <h1 id="registry-title">{t(list.label)}</h1>
        <button type="button" onClick={() => setAsking(true)}>
          {t('registry.export')}
        </button>
        {editor && kind && (
          <a className="button-link" href={recordPath(list.name, 'new')} onClick={(e) => linkClick(e, recordPath(list.name, 'new'))}>
            {t(kind.newTitle)}
          </a>
        )}
      </div>
      <RegistryTabs current={list.name} />
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          // Enter in any text filter applies them all, as leaving the field does.
          const form = new FormData(e.currentTarget);
          const typed: Record<string, string> = {};
          for (const f of list.filters) if (!f.choices && f.param !== 'estate_id') typed[f.param] = String(form.get(f.param) ?? '').trim();
          if (list.search) typed[list.search] = text.trim();
          navigate(`/registry/${list.name}${query({ ...filters, ...typed })}`, true);
        }}
      >
        {list.search && (
          <label>
            {t(list.search === 'plate' ? 'registry.searchPlate' : list.name === 'persons' ? 'registry.searchPerson' : 'registry.searchName')}
            <input type="search" name={list.search} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
        )}
        {list.filters.map((f) => (
          <label key={f.param}>
            {t(f.label)}
            {f.param === 'estate_id' ? (
              <select name={f.param} value={filters[f.param] ?? ''} onChange={(e) => change(f.param, e.target.value)}>
                <option value="">{t('common.all')}</option>
                {estates.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.name}
                  </option>
                ))}
              </select>
            ) : f.choices ? (
              <select name={f.param} value={filters[f.param] ?? ''} onChange={(e) => change(f.param, e.target.value)}>
                <option value="">{t('common.all')}</option>
                {f.choices.map((c) => (
                  <option key={c} value={c}>
                    {label(f.enumPrefix ?? '', c)}
                  </option>
                ))}
              </select>
            ) : (
              <input name={f.param} defaultValue={filters[f.param] ?? ''} size={8} onBlur={(e) => change(f.param, e.target.value.trim())} />
            )}
          </label>
        ))}
        <button type="submit">{t('registry.search')}</button>
      </form>
      {exportNote && <p className="note" role="status">{exportNote}</p>}
      {error && <ErrorNote text={error} retry={() => void load(null)} />}
      {rows === null ? (
        !error && <Loading />
      ) : rows.length === 0 ? (
        <Empty text={t('common.empty')} />
      ) : (
        <>
          <table className="grid" aria-labelledby="registry-title" data-testid="registry-table">
            <thead>
              <tr>
                {list.columns.map((c) => (
                  <th key={c.field} scope="col">
                    {t(c.label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={String(row.id)}>
                  {list.columns.map((c) => (
                    <td key={c.field} className={c.field === 'last_seen' ? 'nowrap' : undefined}>
                      {c.field === 'id' && editor ? (
                        <a href={recordPath(list.name, row.id)} onClick={(e) => linkClick(e, recordPath(list.name, row.id))}>
                          {String(row.id)}
                        </a>
                      ) : (
                        cell(row, c.field, c.enumPrefix)
                      )}
                    </td>
                  ))}
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
      {asking && (
        <AskDialog
          title={t('registry.export')}
          prompt={t('common.purpose')}
          required
          onAnswer={(purpose) => void exportList(purpose)}
          onCancel={() => setAsking(false)}
        />
      )}
    </section>
  );
}
