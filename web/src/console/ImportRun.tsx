// A CSV import with its progress bar and the per-row errors it answers; the registry and the
// watchlists both import through it. The file goes as the request body, named by a fresh
// progress id that GET /api/v1/imports/ID reports on while the request runs.
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorText, get, query, upload } from '../shared/api';
import { localMessage, lang, t, useLang } from '../shared/i18n';
import { ErrorNote } from '../shared/ui';
import { withProgress, type Progress } from './registry/import_progress';

export interface ImportAnswer {
  committed: boolean;
  rows: number;
  imported: number;
  failed: number;
  duplicates?: number;
  errors: { line: number; field: string; message: string }[];
  error?: { message: string };
}

export function ImportRun({ path, children, onDone }: { path: string; children?: ReactNode; onDone?: () => void }) {
  useLang();
  const [file, setFile] = useState<File | null>(null);
  const [partial, setPartial] = useState(false);
  const [fraction, setFraction] = useState<number | null>(null);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    const id = crypto.randomUUID();
    setBusy(true);
    setAnswer(null);
    setError(null);
    setFraction(0);
    try {
      const result = await withProgress(
        () => upload<ImportAnswer>(`${path}${query({ progress: id, partial })}`, file, 'text/csv'),
        () => get<Progress>(`/api/v1/imports/${id}`),
        (p) => setFraction(p.fraction),
      );
      setAnswer(result.data);
      if (result.data.committed) onDone?.();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const percent = Math.round((fraction ?? 0) * 100);
  return (
    <form className="action-form import" onSubmit={submit}>
      {children}
      <label>
        {t('import.file')}
        <input name="file" type="file" accept=".csv,text/csv" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label className="inline">
        <input name="partial" type="checkbox" checked={partial} onChange={(e) => setPartial(e.target.checked)} />
        {t('import.partial')}
      </label>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy || !file}>
          {t('import.start')}
        </button>
      </div>
      {fraction !== null && (
        <div className="progress-line">
          <progress max={100} value={percent} aria-label={t('import.progress')} />
          <span>{busy ? t('import.running', { percent }) : t('import.ended')}</span>
        </div>
      )}
      {error && <ErrorNote text={error} />}
      {answer && (
        <div className="import-result" data-testid="import-result">
          <p className={answer.committed ? 'done-note' : 'error'} role="status">
            {answer.committed ? t('import.committed') : answer.error ? localMessage(answer.error.message, lang()) : t('import.notCommitted')}
          </p>
          <dl className="facts">
            <dt>{t('import.rows')}</dt>
            <dd data-testid="import-rows">{answer.rows}</dd>
            <dt>{t('import.imported')}</dt>
            <dd data-testid="import-imported">{answer.imported}</dd>
            <dt>{t('import.failed')}</dt>
            <dd data-testid="import-failed">{answer.failed}</dd>
            {answer.duplicates !== undefined && (
              <>
                <dt>{t('import.duplicates')}</dt>
                <dd>{answer.duplicates}</dd>
              </>
            )}
          </dl>
          {answer.errors.length > 0 && (
            <table className="grid" data-testid="import-errors" aria-label={t('import.errors')}>
              <caption>{t('import.errors')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('import.line')}
                  </th>
                  <th scope="col">{t('import.field')}</th>
                  <th scope="col">{t('import.message')}</th>
                </tr>
              </thead>
              <tbody>
                {answer.errors.map((e, i) => (
                  <tr key={i}>
                    <td className="num">{e.line}</td>
                    <td>{e.field}</td>
                    <td>{localMessage(e.message, lang())}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </form>
  );
}
