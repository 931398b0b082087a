import { useState, type FormEvent } from 'react';
import { errorText, get, post, type Page } from '../shared/api';
import { t, useLang } from '../shared/i18n';
import { linkClick } from '../shared/router';
import { ErrorNote, Guard, useLoad } from '../shared/ui';

interface Attachment {
  name: string;
  content_type: string;
  data: string;
}

const maxPhotos = 5;
const maxBytes = 5 * 1024 * 1024;

// A chosen photo as the API takes it: base64 without the data-URL prefix.
function readPhoto(file: File): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ name: file.name, content_type: file.type, data: url.slice(url.indexOf(',') + 1) });
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

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
  const [photos, setPhotos] = useState<File[]>([]);

  const choose = (files: FileList | null) => {
    const chosen = Array.from(files ?? []);
    if (chosen.length > maxPhotos) return setError(t('portal.tooManyPhotos', { n: maxPhotos }));
    if (chosen.some((f) => f.size > maxBytes)) return setError(t('portal.photoTooBig'));
    setError(null);
    setPhotos(chosen);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const attachments = await Promise.all(photos.map(readPhoto));
      const created = await post<{ id: number }>('/api/v1/cases', {
        channel: 'portal',
        category,
        description: description.trim(),
        ...(attachments.length ? { attachments } : {}),
      });
      setSent(created.id);
      setDescription('');
      setPhotos([]);
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
            <label>
              {t('portal.photos', { n: maxPhotos })}
              <input
                name="photos"
                type="file"
                accept="image/jpeg,image/png,image/webp"
                capture="environment"
                multiple
                onChange={(e) => choose(e.target.files)}
              />
            </label>
            {photos.length > 0 && <p className="meta">{photos.map((p) => p.name).join('、')}</p>}
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
