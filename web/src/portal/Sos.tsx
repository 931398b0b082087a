// SOS (一键呼叫): one large button, then a confirmation, so that a tap in a pocket calls no one.
// The server asks for the same confirmation ({"confirm": true}).
import { useEffect, useRef, useState } from 'react';
import { errorText, post } from '../shared/api';
import { t, useLang } from '../shared/i18n';
import { ErrorNote } from '../shared/ui';

export function Sos() {
  useLang();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);

  const call = async () => {
    setBusy(true);
    setError(null);
    try {
      const incident = await post<{ id: number }>('/api/v1/sos', { confirm: true });
      setSent(incident.id);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };

  return (
    <>
      <h1>{t('portal.sosTitle')}</h1>
      <p>{t('portal.sosText')}</p>
      {sent !== null && (
        <p className="done" role="status">
          {t('portal.sosSent', { id: sent })}
        </p>
      )}
      {error && <ErrorNote text={error} />}
      <button type="button" className="sos" onClick={() => setOpen(true)}>
        {t('portal.sosButton')}
      </button>
      <dialog ref={dialog} onClose={() => setOpen(false)} aria-labelledby="sos-confirm">
        <p id="sos-confirm">{t('portal.sosConfirm')}</p>
        <div className="buttons">
          <button type="button" className="danger big" disabled={busy} onClick={() => void call()}>
            {t('common.confirm')}
          </button>
          <button type="button" className="big" onClick={() => setOpen(false)} autoFocus>
            {t('common.cancel')}
          </button>
        </div>
      </dialog>
    </>
  );
}
