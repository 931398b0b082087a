// Watchlists (布控, /alerts/watchlists, police and admins): the lists and a form for a new one; a
// list's page (/alerts/watchlists/3) pages its entries, adds and removes one, and imports many
// from CSV with the same progress bar as the registry.
import { useState, type FormEvent } from 'react';
import { errorText, get, post, query, request, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { linkClick } from '../../shared/router';
import { formatTime, zoneTimestamp } from '../../shared/time';
import { ErrorNote, Guard, useLoad } from '../../shared/ui';
import { ImportRun } from '../ImportRun';
import { fieldOf } from '../registry/form_errors';

interface Watchlist {
  id: number;
  name: string;
  kind: 'person' | 'vehicle';
  reason: string;
  requested_by: string;
  level: string;
  valid_from: string;
  valid_to: string;
  entries: number;
  active: boolean;
}

interface Entry {
  id: number;
  name: string;
  id_number?: string | null;
  plate?: string | null;
  note: string;
  faces: number;
}

type Problem = { field: string | null; text: string } | null;

function FieldNote({ problem, field }: { problem: Problem; field: string }) {
  return problem?.field === field ? (
    <span className="field-error" role="alert">
      {problem.text}
    </span>
  ) : null;
}

export function Watchlists() {
  useLang();
  const lists = useLoad(() => get<Page<Watchlist>>('/api/v1/watchlists?limit=200'), []);
  const [draft, setDraft] = useState({ name: '', kind: 'person', reason: '', requested_by: '', level: 'high', valid_to: '' });
  const [problem, setProblem] = useState<Problem>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await post('/api/v1/watchlists', { ...draft, valid_to: draft.valid_to ? zoneTimestamp(draft.valid_to) : undefined });
      setDraft({ name: '', kind: 'person', reason: '', requested_by: '', level: 'high', valid_to: '' });
      setProblem(null);
      lists.reload();
    } catch (e) {
      setProblem({ field: fieldOf(e, ['name', 'kind', 'reason', 'requested_by', 'level', 'valid_to']), text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="watchlists-title">
      <div className="page-head">
        <h1 id="watchlists-title">{t('watchlists.title')}</h1>
      </div>
      <Guard state={lists} empty={(d) => d.items.length === 0}>
        {(data) => (
          <table className="grid" aria-labelledby="watchlists-title" data-testid="watchlists">
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                <th scope="col">{t('watchlists.kind')}</th>
                <th scope="col">{t('watchlists.reason')}</th>
                <th scope="col">{t('watchlists.requestedBy')}</th>
                <th scope="col">{t('alerts.level')}</th>
                <th scope="col">{t('watchlists.valid')}</th>
                <th scope="col" className="num">
                  {t('watchlists.entries')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((w) => (
                <tr key={w.id}>
                  <td>
                    <a href={`/alerts/watchlists/${w.id}`} onClick={(e) => linkClick(e, `/alerts/watchlists/${w.id}`)}>
                      {w.name}
                    </a>
                  </td>
                  <td>{label('watchlistKind', w.kind)}</td>
                  <td className="text">{w.reason || '—'}</td>
                  <td>{w.requested_by || '—'}</td>
                  <td>{label('level', w.level)}</td>
                  <td className="nowrap">
                    {formatTime(w.valid_from)} – {formatTime(w.valid_to)}
                  </td>
                  <td className="num">{w.entries}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Guard>
      <form className="action-form" onSubmit={submit} aria-labelledby="watchlist-new">
        <h2 id="watchlist-new">{t('watchlists.new')}</h2>
        <label>
          {t('field.name')}
          <input name="name" required value={draft.name} onChange={set('name')} />
          <FieldNote problem={problem} field="name" />
        </label>
        <label>
          {t('watchlists.kind')}
          <select name="kind" value={draft.kind} onChange={set('kind')}>
            <option value="person">{label('watchlistKind', 'person')}</option>
            <option value="vehicle">{label('watchlistKind', 'vehicle')}</option>
          </select>
        </label>
        <label>
          {t('watchlists.reason')}
          <input name="reason" value={draft.reason} onChange={set('reason')} />
          <FieldNote problem={problem} field="reason" />
        </label>
        <label>
          {t('watchlists.requestedBy')}
          <input name="requested_by" value={draft.requested_by} onChange={set('requested_by')} />
          <FieldNote problem={problem} field="requested_by" />
        </label>
        <label>
          {t('alerts.level')}
          <select name="level" value={draft.level} onChange={set('level')}>
            {['low', 'normal', 'high', 'critical'].map((l) => (
              <option key={l} value={l}>
                {label('level', l)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('watchlists.validTo')}
          <input name="valid_to" type="datetime-local" value={draft.valid_to} onChange={set('valid_to')} />
          <FieldNote problem={problem} field="valid_to" />
        </label>
        {problem && problem.field === null && <ErrorNote text={problem.text} />}
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {t('watchlists.create')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function WatchlistPage({ id }: { id: number }) {
  useLang();
  const list = useLoad(() => get<Watchlist>(`/api/v1/watchlists/${id}`), [id]);
  const [round, setRound] = useState(0);
  const entries = useLoad(() => get<Page<Entry>>(`/api/v1/watchlists/${id}/entries${query({ limit: 500 })}`), [id, round]);
  const [draft, setDraft] = useState({ name: '', id_number: '', plate: '', note: '' });
  const [problem, setProblem] = useState<Problem>(null);
  const [busy, setBusy] = useState(false);

  const add = async (event: FormEvent, kind: string) => {
    event.preventDefault();
    setBusy(true);
    const body =
      kind === 'vehicle'
        ? { plate: draft.plate.trim(), note: draft.note.trim() || undefined }
        : { name: draft.name.trim() || undefined, id_number: draft.id_number.trim() || undefined, note: draft.note.trim() || undefined };
    try {
      await post(`/api/v1/watchlists/${id}/entries`, body);
      setDraft({ name: '', id_number: '', plate: '', note: '' });
      setProblem(null);
      setRound((r) => r + 1);
    } catch (e) {
      setProblem({ field: fieldOf(e, ['name', 'id_number', 'plate', 'note']), text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const remove = async (entry: Entry) => {
    try {
      await request('DELETE', `/api/v1/watchlists/${id}/entries/${entry.id}`);
      setRound((r) => r + 1);
    } catch (e) {
      setProblem({ field: null, text: errorText(e) });
    }
  };

  return (
    <Guard state={list}>
      {(w) => (
        <section aria-labelledby="watchlist-title">
          <div className="page-head">
            <h1 id="watchlist-title">
              {w.name} <span className="count">{label('watchlistKind', w.kind)}</span>
            </h1>
            <a href="/alerts/watchlists" onClick={(e) => linkClick(e, '/alerts/watchlists')}>
              {t('common.back')}
            </a>
          </div>
          <Guard state={entries} empty={(d) => d.items.length === 0}>
            {(page) => (
              <table className="grid" data-testid="watchlist-entries" aria-label={t('watchlists.entries')}>
                <thead>
                  <tr>
                    {w.kind === 'vehicle' ? (
                      <th scope="col">{t('field.plate')}</th>
                    ) : (
                      <>
                        <th scope="col">{t('field.name')}</th>
                        <th scope="col">{t('field.id_number')}</th>
                        <th scope="col" className="num">
                          {t('watchlists.faces')}
                        </th>
                      </>
                    )}
                    <th scope="col">{t('common.note')}</th>
                    <th scope="col" />
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((e) => (
                    <tr key={e.id}>
                      {w.kind === 'vehicle' ? (
                        <td>{e.plate}</td>
                      ) : (
                        <>
                          <td>{e.name || '—'}</td>
                          <td>{e.id_number || '—'}</td>
                          <td className="num">{e.faces}</td>
                        </>
                      )}
                      <td>{e.note || '—'}</td>
                      <td className="actions">
                        <button type="button" onClick={() => void remove(e)}>
                          {t('watchlists.remove')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Guard>
          <form className="action-form" onSubmit={(e) => void add(e, w.kind)} aria-labelledby="entry-new">
            <h2 id="entry-new">{t('watchlists.addEntry')}</h2>
            {w.kind === 'vehicle' ? (
              <label>
                {t('field.plate')}
                <input name="plate" required value={draft.plate} onChange={(e) => setDraft((d) => ({ ...d, plate: e.target.value }))} />
                <FieldNote problem={problem} field="plate" />
              </label>
            ) : (
              <>
                <label>
                  {t('field.name')}
                  <input name="name" value={draft.name} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} />
                  <FieldNote problem={problem} field="name" />
                </label>
                <label>
                  {t('field.id_number')}
                  <input name="id_number" value={draft.id_number} onChange={(e) => setDraft((d) => ({ ...d, id_number: e.target.value }))} />
                  <FieldNote problem={problem} field="id_number" />
                </label>
              </>
            )}
            <label>
              {t('common.note')}
              <input name="note" value={draft.note} onChange={(e) => setDraft((d) => ({ ...d, note: e.target.value }))} />
            </label>
            {problem && problem.field === null && <ErrorNote text={problem.text} />}
            <div className="buttons">
              <button type="submit" className="primary" disabled={busy}>
                {t('watchlists.add')}
              </button>
            </div>
          </form>
          <h2>{t('watchlists.import')}</h2>
          <p className="note">{w.kind === 'vehicle' ? t('watchlists.importVehicleHint') : t('watchlists.importPersonHint')}</p>
          <ImportRun path={`/api/v1/watchlists/${id}/import`} onDone={() => setRound((r) => r + 1)} />
        </section>
      )}
    </Guard>
  );
}
