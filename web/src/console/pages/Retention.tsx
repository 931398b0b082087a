// Retention settings (/admin/retention, admins of the whole installation): how many days each
// kind of data is kept, where each period comes from (the configuration file, or set here), and
// what a run now would remove. A change, or a kind handed back to the configuration file, is
// previewed with the server's dry run and confirmed before it is saved; the server audits it with
// the old and new values.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { errorText, get, put, query } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { formatTime } from '../../shared/time';
import { Badge, ErrorNote, Guard, useLoad } from '../../shared/ui';
import { backToConfig, changedDays, changeLines, daysProblem, draftOf, kinds, type Change, type Draft, type RetentionPlan } from '../retention';

export function Retention() {
  useLang();
  const state = useLoad(() => get<RetentionPlan>('/api/v1/admin/retention'), []);
  return <Guard state={state}>{(plan) => <RetentionForm plan={plan} onSaved={state.reload} />}</Guard>;
}

function RetentionForm({ plan, onSaved }: { plan: RetentionPlan; onSaved: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(plan));
  const [pending, setPending] = useState<{ change: Change; preview: RetentionPlan } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const changes = changedDays(plan, draft);
  const changed = Object.keys(changes).length > 0;

  useEffect(() => setDraft(draftOf(plan)), [plan]);
  useEffect(() => {
    if (pending) dialog.current?.showModal();
    else dialog.current?.close();
  }, [pending]);

  // The server's dry run with the new periods: what the next run would remove once they are saved.
  const ask = async (change: Change) => {
    setSaved(false);
    setBusy(true);
    try {
      setPending({ change, preview: await get<RetentionPlan>(`/api/v1/admin/retention${query(change.preview)}`) });
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const edit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (kinds.some((k) => daysProblem(k, draft[k]) !== null) || !changed) return;
    void ask({ body: changes, preview: changes });
  };

  const save = async (change: Change) => {
    setBusy(true);
    try {
      await put('/api/v1/admin/retention', change.body);
      setError(null);
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      setPending(null);
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>{t('nav.retention')}</h1>
      </div>
      <p className="note">{t('retention.hint')}</p>
      {error && <ErrorNote text={error} />}
      {saved && (
        <p className="done-note" role="status">
          {t('retention.saved')}
        </p>
      )}
      <form className="action-form wide" onSubmit={edit} noValidate>
        <div className="retention-fields">
          {kinds.map((kind) => {
            const problem = daysProblem(kind, draft[kind]);
            const by = plan.changed[kind];
            return (
              <div key={kind} className="retention-field">
                <label>
                  {t('retention.daysOf', { kind: label('retentionKind', kind) })}
                  <input
                    inputMode="numeric"
                    value={draft[kind]}
                    aria-invalid={problem !== null}
                    aria-describedby={`retention-${kind}-source${problem ? ` retention-${kind}-problem` : ''}`}
                    onChange={(e) => setDraft((d) => ({ ...d, [kind]: e.target.value }))}
                  />
                </label>
                <span id={`retention-${kind}-source`} className="note" data-testid={`retention-${kind}-source`}>
                  {plan.sources[kind] === 'settings' && by
                    ? t('retention.fromSettings', { by: by.by, at: formatTime(by.at), config: daysText(plan.config[kind]) })
                    : t('retention.fromConfig')}
                </span>
                {plan.sources[kind] === 'settings' && (
                  <button
                    type="button"
                    className="link"
                    aria-label={t('retention.backToConfigOf', { kind: label('retentionKind', kind) })}
                    disabled={busy}
                    onClick={() => void ask(backToConfig(plan, kind))}
                  >
                    {t('retention.backToConfig')}
                  </button>
                )}
                {problem && (
                  <span id={`retention-${kind}-problem`} className="field-error">
                    {t(problem)}
                  </span>
                )}
              </div>
            );
          })}
        </div>
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy || !changed}>
            {t('common.save')}
          </button>
        </div>
      </form>
      <h2>{t('retention.wouldGo')}</h2>
      <WouldGo plan={plan} />
      <dialog ref={dialog} className="ask wide" aria-labelledby="retention-confirm" onClose={() => setPending(null)}>
        {pending && (
          <div className="confirm">
            <h2 id="retention-confirm">{t('retention.confirmTitle')}</h2>
            <ul>
              {changeLines(plan, pending.change).map((line) => (
                <li key={line.kind}>
                  {t('retention.change', {
                    kind: label('retentionKind', line.kind),
                    from: daysText(line.from),
                    to: line.config ? t('retention.configDays', { days: daysText(line.to) }) : daysText(line.to),
                  })}
                </li>
              ))}
            </ul>
            <p>{t('retention.confirmWouldGo')}</p>
            <WouldGo plan={pending.preview} />
            <div className="buttons">
              <button type="button" className="primary" disabled={busy} onClick={() => void save(pending.change)}>
                {t('common.confirm')}
              </button>
              <button type="button" onClick={() => setPending(null)} autoFocus>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        )}
      </dialog>
    </>
  );
}

function daysText(days: number): string {
  return days > 0 ? t('retention.days', { days }) : t('retention.forever');
}

// Per kind: the period, how many a run now would remove, and their time span.
function WouldGo({ plan }: { plan: RetentionPlan }) {
  return (
    <table className="grid" data-testid="retention-plan">
      <thead>
        <tr>
          <th scope="col">{t('retention.kind')}</th>
          <th scope="col">{t('retention.period')}</th>
          <th scope="col" className="num">
            {t('retention.count')}
          </th>
          <th scope="col">{t('retention.before')}</th>
          <th scope="col">{t('retention.span')}</th>
        </tr>
      </thead>
      <tbody>
        {kinds.map((kind) => {
          const k = plan[kind];
          return (
            <tr key={kind}>
              <th scope="row">{label('retentionKind', kind)}</th>
              <td>
                {daysText(k.days)} {plan.sources[kind] === 'proposed' && <Badge tone="info">{t('retention.new')}</Badge>}
              </td>
              <td className="num">{k.count.toLocaleString()}</td>
              <td>{k.before ? formatTime(k.before) : '—'}</td>
              <td>{k.first ? `${formatTime(k.first)} – ${formatTime(k.last)}` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
