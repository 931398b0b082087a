// Opening a door from the phone. The page lists the doors the resident's access groups include
// (GET /api/v1/me/doors) as large buttons; a tap asks for confirmation, so that a door does not
// open from a pocket, and POST /api/v1/access/remote-open opens it. The server decides again and
// records the decision at the door; the page says what it answered, in words.
import { useEffect, useRef, useState } from 'react';
import { errorText, get, post, type Page } from '../shared/api';
import { label, t, useLang } from '../shared/i18n';
import { Badge, Guard, useLoad } from '../shared/ui';
import { doorTitle, groupByEstate, refusalReason, type MyDoor } from './doors';

interface Outcome {
  opened: boolean;
  text: string;
}

export function Doors() {
  useLang();
  const doors = useLoad(() => get<Page<MyDoor>>('/api/v1/me/doors'), []);
  const dialog = useRef<HTMLDialogElement>(null);
  const [asking, setAsking] = useState<MyDoor | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  useEffect(() => {
    if (asking) dialog.current?.showModal();
    else dialog.current?.close();
  }, [asking]);

  const open = async (door: MyDoor) => {
    const name = doorTitle(door);
    setBusy(true);
    setOutcome(null);
    try {
      await post('/api/v1/access/remote-open', { device_id: door.id });
      setOutcome({ opened: true, text: t('portal.doorOpened', { door: name }) });
    } catch (e) {
      const reason = refusalReason(e);
      const worded = reason && label('doorReason', reason);
      const why = worded && worded !== reason ? worded : errorText(e);
      setOutcome({ opened: false, text: t('portal.doorRefused', { door: name, why }) });
    } finally {
      setBusy(false);
      setAsking(null);
    }
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
      <Guard state={doors}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="state empty">{t('portal.noDoors')}</p>
          ) : (
            groupByEstate(page.items).map((group) => (
              <section key={group.estate} className="door-group">
                <h2>{group.estate}</h2>
                <ul className="cards" data-testid="my-doors">
                  {group.doors.map((door) => (
                    <li key={door.id} className="card door">
                      <button
                        type="button"
                        className="door-button"
                        disabled={busy}
                        aria-label={t('portal.openThisDoor', { door: doorTitle(door) })}
                        onClick={() => setAsking(door)}
                      >
                        <span className="door-name">{doorTitle(door)}</span>
                        <Badge tone={door.online ? 'ok' : 'muted'}>{t(door.online ? 'portal.doorOnline' : 'portal.doorOffline')}</Badge>
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            ))
          )
        }
      </Guard>
      <dialog ref={dialog} onClose={() => setAsking(null)} aria-labelledby="door-confirm">
        <p id="door-confirm">{asking && t('portal.doorConfirm', { door: doorTitle(asking) })}</p>
        <div className="buttons">
          <button type="button" className="primary big" disabled={busy} onClick={() => asking && void open(asking)} autoFocus>
            {t('portal.openDoor')}
          </button>
          <button type="button" className="big" onClick={() => setAsking(null)}>
            {t('common.cancel')}
          </button>
        </div>
      </dialog>
    </>
  );
}
