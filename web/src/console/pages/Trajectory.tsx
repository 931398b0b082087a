// Where a person or a vehicle has passed (/trajectory): pick a person from a name search or type a
// plate, a window and the purpose the audit log records; the answer is a timeline by day in the
// estates' zone, with the similarity of face captures matched to the person's enrolled faces.
import { useEffect, useState, type FormEvent } from 'react';
import { errorText, get, query, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { formatTime, zoneTimestamp } from '../../shared/time';
import { Empty, ErrorNote, Loading } from '../../shared/ui';
import { byDay, type Passage } from '../trajectory_days';
import { TrajectoryPlans } from '../TrajectoryPlans';

interface PersonHit {
  id: number;
  name: string;
  id_number: string | null;
}

export function Trajectory() {
  useLang();
  const [by, setBy] = useState<'person' | 'plate'>('person');
  const [name, setName] = useState('');
  const [hits, setHits] = useState<PersonHit[] | null>(null);
  const [personId, setPersonId] = useState('');
  const [plate, setPlate] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [purpose, setPurpose] = useState('');
  const [items, setItems] = useState<Passage[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [asked, setAsked] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [estates, setEstates] = useState<Record<number, string>>({});

  useEffect(() => {
    get<Page<{ id: number; name: string }>>('/api/v1/estates?limit=1000')
      .then((page) => setEstates(Object.fromEntries(page.items.map((e) => [e.id, e.name]))))
      .catch(() => setEstates({}));
  }, []);

  const findPersons = async () => {
    if (!name.trim()) return;
    try {
      const page = await get<Page<PersonHit>>(`/api/v1/persons${query({ q: name.trim(), limit: 20 })}`);
      setHits(page.items);
      setPersonId(page.items[0] ? String(page.items[0].id) : '');
    } catch (e) {
      setError(errorText(e));
    }
  };

  const load = async (search: string, cursor: string | null) => {
    setBusy(true);
    try {
      const page = await get<Page<Passage>>(`/api/v1/trajectory${search}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items));
      setNext(page.next);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const search = query({
      person_id: by === 'person' ? personId : undefined,
      plate: by === 'plate' ? plate.trim() : undefined,
      from: from ? zoneTimestamp(from) : undefined,
      to: to ? zoneTimestamp(to) : undefined,
      purpose: purpose.trim(),
      limit: 200,
    });
    setAsked(search);
    setItems(null);
    void load(search, null);
  };

  const days = items ? byDay(items) : [];
  return (
    <section aria-labelledby="trajectory-title">
      <div className="page-head">
        <h1 id="trajectory-title">{t('trajectory.title')}</h1>
      </div>
      <form className="filters" role="search" onSubmit={submit}>
        <label>
          {t('trajectory.by')}
          <select name="by" value={by} onChange={(e) => setBy(e.target.value as 'person' | 'plate')}>
            <option value="person">{t('trajectory.byPerson')}</option>
            <option value="plate">{t('trajectory.byPlate')}</option>
          </select>
        </label>
        {by === 'person' ? (
          <>
              <label>
                {t('trajectory.personName')}
                <input
                  name="person_name"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      void findPersons();
                    }
                  }}
                />
              </label>
              <button type="button" onClick={() => void findPersons()}>
                {t('trajectory.findPerson')}
              </button>
              <label>
                {t('trajectory.person')}
                <select name="person_id" required value={personId} onChange={(e) => setPersonId(e.target.value)}>
                  {hits === null || hits.length === 0 ? <option value="">{hits === null ? '—' : t('trajectory.noPerson')}</option> : null}
                  {hits?.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} #{p.id} {p.id_number ?? ''}
                    </option>
                  ))}
                </select>
              </label>
          </>
        ) : (
          <label>
            {t('field.plate')}
            <input name="plate" required value={plate} onChange={(e) => setPlate(e.target.value)} />
          </label>
        )}
        <label>
          {t('common.from')}
          <input name="from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('common.to')}
          <input name="to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          {t('common.purpose')}
          <input name="purpose" required value={purpose} onChange={(e) => setPurpose(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {t('trajectory.search')}
        </button>
      </form>
      {error && <ErrorNote text={error} />}
      {asked === '' ? (
        <p className="note">{t('trajectory.hint')}</p>
      ) : items === null ? (
        !error && <Loading />
      ) : items.length === 0 ? (
        <Empty text={t('trajectory.none')} />
      ) : (
        <>
        <TrajectoryPlans items={items} estates={estates} />
        <div className="timeline" data-testid="timeline">
          {days.map((day) => (
            <section key={day.date} aria-label={day.date}>
              <h2>
                {day.date} <span className="count">{t('trajectory.count', { n: day.items.length })}</span>
              </h2>
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">{t('trajectory.time')}</th>
                    <th scope="col">{t('field.estate_id')}</th>
                    <th scope="col">{t('trajectory.device')}</th>
                    <th scope="col">{t('trajectory.source')}</th>
                    <th scope="col">{t('trajectory.direction')}</th>
                    <th scope="col">{t('trajectory.result')}</th>
                    <th scope="col" className="num">
                      {t('trajectory.similarity')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {day.items.map((p) => (
                    <tr key={p.event_id + p.device_id}>
                      <td className="nowrap">{formatTime(p.ts, { seconds: true }).slice(11)}</td>
                      <td>{estates[p.estate_id] ?? `#${p.estate_id}`}</td>
                      <td>{p.device_id}</td>
                      <td>
                        {label('source', p.source)}
                        {p.plate ? ` ${p.plate}` : ''}
                      </td>
                      <td>{label('direction', p.direction)}</td>
                      <td>{label('result', p.result)}</td>
                      <td className="num">{typeof p.similarity === 'number' ? p.similarity.toFixed(2) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
          {next && (
            <button type="button" className="more" disabled={busy} onClick={() => void load(asked, next)}>
              {busy ? t('common.loading') : t('common.more')}
            </button>
          )}
        </div>
        </>
      )}
    </section>
  );
}
