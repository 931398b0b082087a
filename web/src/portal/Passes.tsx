// Visitor passes: the resident names a visitor and a window; the answer's 6-digit code is shown
// once, to be shared with the visitor, who types it at the gate.
import { useState, type FormEvent } from 'react';
import { errorText, get, post, type Page } from '../shared/api';
import { label, t, useLang } from '../shared/i18n';
import { formatTime, zoneDate, zoneTimestamp } from '../shared/time';
import { Badge, Empty, ErrorNote, Guard, useLoad } from '../shared/ui';

interface Pass {
  id: number;
  visitor_name: string;
  plate: string | null;
  valid_from: string;
  valid_to: string;
  status: string;
  uses_left?: number;
  code?: string;
}

const passTone: Record<string, string> = { active: 'ok', not_yet_valid: 'info', expired: 'muted', used_up: 'muted', revoked: 'muted' };

// Tomorrow at 22:00 in the estates' zone, as a datetime-local value.
function defaultValidTo(): string {
  return `${zoneDate(Date.now() + 86_400_000)}T22:00`;
}

export function Passes() {
  useLang();
  const passes = useLoad(() => get<Page<Pass>>('/api/v1/visitor-passes?limit=50'), []);
  const [form, setForm] = useState({ visitor_name: '', visitor_phone: '', plate: '', valid_to: defaultValidTo(), uses: '1' });
  const [created, setCreated] = useState<Pass | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      const body: Record<string, unknown> = {
        visitor_name: form.visitor_name.trim(),
        valid_to: zoneTimestamp(form.valid_to),
        uses: Number(form.uses),
      };
      if (form.visitor_phone.trim()) body.visitor_phone = form.visitor_phone.trim();
      if (form.plate.trim()) body.plate = form.plate.trim();
      setCreated(await post<Pass>('/api/v1/visitor-passes', body));
      passes.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const share = async (pass: Pass) => {
    const text = `${t('portal.passCode')} ${pass.code}（${formatTime(pass.valid_to)}）`;
    if (navigator.share) {
      try {
        await navigator.share({ text });
        return;
      } catch {
        // Declined or unavailable: fall back to the clipboard.
      }
    }
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value });
  return (
    <>
      <h1>{t('portal.passes')}</h1>
      {created?.code && (
        <section className="card pass" aria-labelledby="code-title" data-testid="pass-code">
          <h2 id="code-title">
            {t('portal.passCode')} · {created.visitor_name}
          </h2>
          <p className="code">{created.code}</p>
          <p className="meta">{t('portal.passHint')}</p>
          <p className="meta">
            {t('portal.validTo')} {formatTime(created.valid_to)}
          </p>
          <button type="button" className="primary big" onClick={() => void share(created)}>
            {t('portal.passShare')}
          </button>
          {copied && <p role="status">{t('portal.passCopied')}</p>}
        </section>
      )}
      <form className="form" onSubmit={submit}>
        <label>
          {t('portal.visitorName')}
          <input name="visitor_name" required value={form.visitor_name} onChange={set('visitor_name')} />
        </label>
        <label>
          {t('portal.visitorPhone')}
          <input name="visitor_phone" type="tel" inputMode="tel" value={form.visitor_phone} onChange={set('visitor_phone')} />
        </label>
        <label>
          {t('portal.plate')}
          <input name="plate" value={form.plate} onChange={set('plate')} />
        </label>
        <label>
          {t('portal.validTo')}
          <input name="valid_to" type="datetime-local" required value={form.valid_to} onChange={set('valid_to')} />
        </label>
        <label>
          {t('portal.uses')}
          <input name="uses" type="number" min={1} max={20} required value={form.uses} onChange={set('uses')} />
        </label>
        {error && <ErrorNote text={error} />}
        <button type="submit" className="primary big" disabled={busy}>
          {t('portal.createPass')}
        </button>
      </form>
      <h2>{t('portal.myPasses')}</h2>
      <Guard state={passes}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty text={t('portal.noPasses')} />
          ) : (
            <ul className="cards">
              {page.items.map((p) => (
                <li key={p.id} className="card row">
                  <span>
                    {p.visitor_name}
                    {p.plate ? ` · ${p.plate}` : ''}
                    <br />
                    <span className="meta">
                      {formatTime(p.valid_from)} – {formatTime(p.valid_to)}
                    </span>
                  </span>
                  <Badge tone={passTone[p.status] ?? 'muted'}>{label('pass', p.status)}</Badge>
                </li>
              ))}
            </ul>
          )
        }
      </Guard>
    </>
  );
}
