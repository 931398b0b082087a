// Opening a door from the phone (POST /api/v1/access/remote-open). The server decides by the
// resident's access groups and records the decision as an access event at the door; the page
// says what it answered: opened, or refused and why.
import { useState, type FormEvent } from 'react';
import { ApiError, errorText, post } from '../shared/api';
import { label, t, useLang } from '../shared/i18n';
import { Empty } from '../shared/ui';
import { forgetDoor, loadDoors, refusalReason, rememberDoor, saveDoors } from './doors';

interface Outcome {
  door: string;
  opened: boolean;
  text: string;
}

export function Doors() {
  useLang();
  const [doors, setDoors] = useState<string[]>(loadDoors);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const keepDoors = (next: string[]) => {
    setDoors(next);
    saveDoors(next);
  };

  const open = async (door: string) => {
    setBusy(door);
    setOutcome(null);
    try {
      await post('/api/v1/access/remote-open', { device_id: door });
      setOutcome({ door, opened: true, text: t('portal.doorOpened', { door }) });
      keepDoors(rememberDoor(doors, door));
      setTyped('');
    } catch (e) {
      const reason = e instanceof ApiError && e.status === 403 ? refusalReason(e.message) : null;
      const worded = reason && label('doorReason', reason);
      const why = worded && worded !== reason ? worded : errorText(e);
      setOutcome({ door, opened: false, text: t('portal.doorRefused', { door, why }) });
    } finally {
      setBusy(null);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const door = typed.trim();
    if (door) void open(door);
  };

  return (
    <>
      <h1>{t('portal.doors')}</h1>
      <p className="meta">{t('portal.doorsHint')}</p>
      <div aria-live="polite">
        {outcome && (
          <p className={outcome.opened ? 'done' : 'error'} role="status" data-testid="door-outcome">
            {outcome.text}
          </p>
        )}
      </div>
      <form className="form" onSubmit={submit}>
        <label>
          {t('portal.doorId')}
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoCapitalize="none" required />
        </label>
        <button type="submit" className="primary big" disabled={busy !== null || !typed.trim()}>
          {t('portal.openDoor')}
        </button>
      </form>
      <h2>{t('portal.myDoors')}</h2>
      {doors.length === 0 ? (
        <Empty text={t('portal.noDoors')} />
      ) : (
        <ul className="cards" data-testid="my-doors">
          {doors.map((door) => (
            <li key={door} className="card door">
              <span className="door-id">{door}</span>
              <button type="button" className="primary" disabled={busy !== null} aria-label={t('portal.openThisDoor', { door })} onClick={() => void open(door)}>
                {t('portal.openDoor')}
              </button>
              <button type="button" className="quiet" aria-label={t('portal.forgetDoor', { door })} onClick={() => keepDoors(forgetDoor(doors, door))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
