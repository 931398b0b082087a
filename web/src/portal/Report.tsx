import { useState, type FormEvent } from 'react';
import { errorText, get, post, type Page } from '../shared/api';
import { t, useLang } from '../shared/i18n';
import { linkClick } from '../shared/router';
import { ErrorNote, Guard, useLoad } from '../shared/ui';

interface Category {
  id: string;
  name: string;
}

export function Report() {
  useLang();
  const categories = useLoad(() => get<Page<Category>>('/api/v1/cases/categories'), []);
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<number | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await post<{ id: number }>('/api/v1/cases', { channel: 'portal', category, description: description.trim() });
      setSent(created.id);
      setDescription('');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('portal.report')}</h1>
      {sent !== null && (
        <p className="done" role="status">
          {t('portal.sent', { id: sent })}{' '}
          <a href={`/m/cases/${sent}`} onClick={(e) => linkClick(e, `/m/cases/${sent}`)}>
            #{sent}
          </a>
        </p>
      )}
      <Guard state={categories}>
        {(page) => (
          <form className="form" onSubmit={submit}>
            <label>
              {t('portal.category')}
              <select name="category" required value={category} onChange={(e) => setCategory(e.target.value)}>
                <option value="" />
                {page.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('portal.description')}
              <textarea name="description" required rows={5} value={description} onChange={(e) => setDescription(e.target.value)} />
            </label>
            {error && <ErrorNote text={error} />}
            <button type="submit" className="primary big" disabled={busy}>
              {t('common.submit')}
            </button>
          </form>
        )}
      </Guard>
    </>
  );
}
