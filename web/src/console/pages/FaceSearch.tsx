// Search by face (/faces): an embedding pasted as JSON numbers or a photo (sent as a data URL, and
// refused with the API's own words when no face model is configured), a window, estates, how many
// and the purpose; the captures most alike come back as a gallery, best first.
import { useEffect, useState, type FormEvent } from 'react';
import { errorText, fetchBlob, get, post, type Page } from '../../shared/api';
import { t, useLang } from '../../shared/i18n';
import { formatTime, zoneTimestamp } from '../../shared/time';
import { Empty, ErrorNote, Loading } from '../../shared/ui';
import { fieldOf } from '../registry/form_errors';
import { parseEmbedding } from '../face_query';

interface Hit {
  key: string;
  event_id: string;
  device_id: string;
  estate_id: number;
  ts: string;
  similarity: number;
  image?: string;
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((ok, fail) => {
    const reader = new FileReader();
    reader.onload = () => ok(String(reader.result));
    reader.onerror = () => fail(reader.error);
    reader.readAsDataURL(file);
  });
}

// A snapshot read with the token, shown from an object URL that is let go with the tile.
function Snapshot({ hash, alt }: { hash: string; alt: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let made: string | null = null;
    let live = true;
    fetchBlob(`/api/v1/snapshots/${hash}`)
      .then((blob) => {
        if (!live) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [hash]);
  if (url) return <img src={url} alt={alt} />;
  return <div className="placeholder">{failed ? t('faces.noImage') : t('common.loading')}</div>;
}

const fields = ['embedding', 'photo', 'from', 'to', 'estate_ids', 'k', 'purpose'];

export function FaceSearch() {
  useLang();
  const [mode, setMode] = useState<'embedding' | 'photo'>('embedding');
  const [embedding, setEmbedding] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [estateIds, setEstateIds] = useState<string[]>([]);
  const [k, setK] = useState('10');
  const [purpose, setPurpose] = useState('');
  const [estates, setEstates] = useState<{ id: number; name: string }[]>([]);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [problem, setProblem] = useState<{ field: string | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<Page<{ id: number; name: string }>>('/api/v1/estates?limit=1000')
      .then((page) => setEstates(page.items))
      .catch(() => setEstates([]));
  }, []);
  const estateName = (id: number) => estates.find((e) => e.id === id)?.name ?? `#${id}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const body: Record<string, unknown> = { k: Number(k), purpose: purpose.trim() };
    if (mode === 'embedding') {
      const numbers = parseEmbedding(embedding);
      if (!numbers) {
        setProblem({ field: 'embedding', text: t('faces.badEmbedding') });
        return;
      }
      body.embedding = numbers;
    } else if (photo) {
      body.photo = await readAsDataUrl(photo);
    }
    if (from) body.from = zoneTimestamp(from);
    if (to) body.to = zoneTimestamp(to);
    if (estateIds.length) body.estate_ids = estateIds.map(Number);
    setBusy(true);
    setHits(null);
    try {
      const answer = await post<{ items: Hit[] }>('/api/v1/faces/search', body);
      setHits(answer.items);
    } catch (e) {
      setProblem({ field: fieldOf(e, fields), text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const note = (field: string) =>
    problem?.field === field ? (
      <span className="field-error" id={`${field}-error`} role="alert">
        {problem.text}
      </span>
    ) : null;

  return (
    <section aria-labelledby="faces-title">
      <div className="page-head">
        <h1 id="faces-title">{t('faces.title')}</h1>
      </div>
      <form className="action-form wide" onSubmit={submit} aria-labelledby="faces-title">
        <fieldset className="choice">
          <legend>{t('faces.by')}</legend>
          <label className="inline">
            <input type="radio" name="mode" checked={mode === 'embedding'} onChange={() => setMode('embedding')} />
            {t('faces.byEmbedding')}
          </label>
          <label className="inline">
            <input type="radio" name="mode" checked={mode === 'photo'} onChange={() => setMode('photo')} />
            {t('faces.byPhoto')}
          </label>
        </fieldset>
        {mode === 'embedding' ? (
          <label>
            {t('faces.embedding')}
            <textarea name="embedding" rows={4} required value={embedding} onChange={(e) => setEmbedding(e.target.value)} placeholder="[0.013, -0.092, …]" />
            {note('embedding')}
          </label>
        ) : (
          <label>
            {t('faces.photo')}
            <input name="photo" type="file" accept="image/jpeg,image/png" required onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} />
            {note('photo')}
          </label>
        )}
        <div className="row">
          <label>
            {t('common.from')}
            <input name="from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
            {note('from')}
          </label>
          <label>
            {t('common.to')}
            <input name="to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <label>
            {t('faces.k')}
            <input name="k" type="number" min={1} max={100} value={k} onChange={(e) => setK(e.target.value)} />
            {note('k')}
          </label>
        </div>
        <label>
          {t('faces.estates')}
          <select name="estate_ids" multiple size={Math.min(4, Math.max(2, estates.length))} value={estateIds} onChange={(e) => setEstateIds([...e.target.selectedOptions].map((o) => o.value))}>
            {estates.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
          {note('estate_ids')}
        </label>
        <label>
          {t('common.purpose')}
          <input name="purpose" required value={purpose} onChange={(e) => setPurpose(e.target.value)} />
          {note('purpose')}
        </label>
        {problem && problem.field === null && <ErrorNote text={problem.text} />}
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {t('faces.search')}
          </button>
        </div>
      </form>
      {busy && <Loading />}
      {hits &&
        (hits.length === 0 ? (
          <Empty text={t('faces.none')} />
        ) : (
          <ul className="gallery" data-testid="face-results">
            {hits.map((h) => (
              <li key={h.key}>
                {h.image ? <Snapshot hash={h.image} alt={`${estateName(h.estate_id)} ${h.device_id}`} /> : <div className="placeholder">{t('faces.noImage')}</div>}
                <div className="similarity">{(h.similarity * 100).toFixed(1)}%</div>
                <div>{formatTime(h.ts, { seconds: true })}</div>
                <div>
                  {estateName(h.estate_id)} · {h.device_id}
                </div>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
