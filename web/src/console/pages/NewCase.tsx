// Intake by staff (受理登记): a matter phoned in, brought to a service station or found by a grid
// worker becomes a case. The answer lists open cases like it, so that a duplicate can be merged
// rather than worked twice.
import { useState, type FormEvent } from 'react';
import { errorText, get, post, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { linkClick } from '../../shared/router';
import { caseTone } from '../../shared/tones';
import { Badge, ErrorNote, Guard, useLoad } from '../../shared/ui';

const channels = ['hotline', 'station', 'walk_in', 'grid_worker', 'police', 'suggestion_box'];

interface Created {
  id: number;
  possible_duplicates: { id: number; status: string; description?: string }[];
}

export function NewCase() {
  useLang();
  const categories = useLoad(() => get<Page<{ id: string; name: string }>>('/api/v1/cases/categories'), []);
  const empty = { channel: 'hotline', category: '', description: '', name: '', phone: '', address: '' };
  const [form, setForm] = useState(empty);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { channel: form.channel, category: form.category, description: form.description.trim() };
      if (form.name.trim() || form.phone.trim()) {
        body.reporter = { name: form.name.trim(), ...(form.phone.trim() ? { phone: form.phone.trim() } : {}) };
      }
      if (form.address.trim()) body.address = form.address.trim();
      setCreated(await post<Created>('/api/v1/cases', body));
      setForm(empty);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const link = (id: number) => (
    <a href={`/cases/${id}`} onClick={(e) => linkClick(e, `/cases/${id}`)}>
      #{id}
    </a>
  );
  return (
    <section aria-labelledby="new-case-title">
      <p>
        <a href="/cases" onClick={(e) => linkClick(e, '/cases')}>
          ← {t('common.back')}
        </a>
      </p>
      <h1 id="new-case-title">{t('intake.title')}</h1>
      {created && (
        <div className="done-note" role="status">
          <p>
            {t('intake.created')} {link(created.id)}
          </p>
          {created.possible_duplicates.length > 0 && (
            <>
              <p>{t('intake.duplicates')}</p>
              <ul>
                {created.possible_duplicates.map((d) => (
                  <li key={d.id}>
                    {link(d.id)} <Badge tone={caseTone[d.status] ?? 'muted'}>{label('caseStatus', d.status)}</Badge> {d.description ?? ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <Guard state={categories}>
        {(page) => (
          <form className="action-form" onSubmit={submit} aria-labelledby="new-case-title">
            <label>
              {t('case.channel')}
              <select name="channel" value={form.channel} onChange={set('channel')}>
                {channels.map((c) => (
                  <option key={c} value={c}>
                    {label('channel', c)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('cases.category')}
              <select name="category" required value={form.category} onChange={set('category')}>
                <option value="" />
                {page.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('cases.description')}
              <textarea name="description" required rows={4} value={form.description} onChange={set('description')} />
            </label>
            <label>
              {t('intake.reporterName')}
              <input name="reporter_name" value={form.name} onChange={set('name')} />
            </label>
            <label>
              {t('intake.reporterPhone')}
              <input name="reporter_phone" type="tel" value={form.phone} onChange={set('phone')} />
            </label>
            <label>
              {t('case.address')}
              <input name="address" value={form.address} onChange={set('address')} />
            </label>
            {error && <ErrorNote text={error} />}
            <div className="buttons">
              <button type="submit" className="primary" disabled={busy}>
                {t('intake.submit')}
              </button>
            </div>
          </form>
        )}
      </Guard>
    </section>
  );
}
