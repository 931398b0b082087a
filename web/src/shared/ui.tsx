// Pieces both the console and the portal draw with: loading, empty and error states, the
// language switch, status badges.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { errorText } from './api';
import { setLang, t, useLang } from './i18n';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

// Runs `load` now and whenever `deps` change; keeps the last data while reloading.
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setLoading(true);
    loadRef
      .current()
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(null);
      })
      .catch((e) => live && setError(errorText(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}

export function Loading() {
  useLang();
  return (
    <p className="state" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

export function Empty({ text }: { text: string }) {
  return <p className="state empty">{text}</p>;
}

export function ErrorNote({ text, retry }: { text: string; retry?: () => void }) {
  useLang();
  return (
    <div className="error" role="alert">
      <span>{text}</span>
      {retry && (
        <button type="button" className="link" onClick={retry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

// Loading, error and empty states around the content, in that order.
export function Guard<T>({ state, empty, children }: { state: Loaded<T>; empty?: (data: T) => boolean; children: (data: T) => ReactNode }) {
  if (state.error && !state.data) return <ErrorNote text={state.error} retry={state.reload} />;
  if (!state.data) return <Loading />;
  return (
    <>
      {state.error && <ErrorNote text={state.error} retry={state.reload} />}
      {empty && empty(state.data) ? <Empty text={t('common.empty')} /> : children(state.data)}
    </>
  );
}

export function LangSwitch() {
  const current = useLang();
  return (
    <button
      type="button"
      className="lang"
      aria-label={t('lang.switchLabel')}
      onClick={() => setLang(current === 'zh' ? 'en' : 'zh')}
    >
      {t('lang.switch')}
    </button>
  );
}

// A coloured badge: `tone` picks the colour (see the stylesheets' .badge-*).
export function Badge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

// Re-renders every `ms` milliseconds and gives the time: the running 1-3-5 clocks.
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
