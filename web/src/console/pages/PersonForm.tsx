// Adds a person to the registry or changes one (/registry/persons/new, /registry/persons/12). The
// API checks every field (the ID number's check digit, the phone, the category); its refusal is
// shown next to the field it names.
import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { errorText, get, query, request, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { linkClick, navigate, useLocation } from '../../shared/router';
import { ErrorNote, Loading } from '../../shared/ui';
import { fieldOf } from '../registry/form_errors';
import { RegistryTabs } from './Registry';

interface Person {
  id: number;
  name: string;
  id_number: string | null;
  phone: string | null;
  gender: string | null;
  category: string;
  tags: string[];
  estate_id: number | null;
  household_address: string | null;
  note: string | null;
}

const fields = ['name', 'id_number', 'phone', 'gender', 'category', 'tags', 'estate_id', 'household_address', 'note'] as const;
type Field = (typeof fields)[number];
type Values = Record<Field, string>;

const empty: Values = { name: '', id_number: '', phone: '', gender: '', category: 'registered', tags: '', estate_id: '', household_address: '', note: '' };

function valuesOf(p: Person): Values {
  return {
    name: p.name,
    id_number: p.id_number ?? '',
    phone: p.phone ?? '',
    gender: p.gender ?? '',
    category: p.category,
    tags: p.tags.join(', '),
    estate_id: p.estate_id === null ? '' : String(p.estate_id),
    household_address: p.household_address ?? '',
    note: p.note ?? '',
  };
}

// The body the API takes: empty optional fields are left out when adding and cleared (null) when
// changing; a masked value the form was given back unchanged is not sent at all.
function bodyOf(values: Values, original: Values | null): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (original && values[f] === original[f]) continue;
    const v = values[f].trim();
    if (f === 'tags') body.tags = v ? v.split(/[,，、\s]+/).filter(Boolean) : [];
    else if (f === 'estate_id') body.estate_id = v ? Number(v) : null;
    else body[f] = v === '' ? null : v;
    if (!original && body[f] === null) delete body[f];
  }
  return body;
}


export function PersonForm({ id }: { id: number | null }) {
  useLang();
  const [values, setValues] = useState<Values>(empty);
  const [original, setOriginal] = useState<Values | null>(null);
  const [estates, setEstates] = useState<{ id: number; name: string }[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<{ field: string | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // A person just added is shown on its own page, which says it was saved.
  const [saved, setSaved] = useState(useLocation().endsWith('?created=1'));

  useEffect(() => {
    get<Page<{ id: number; name: string }>>('/api/v1/estates?limit=1000')
      .then((page) => setEstates(page.items))
      .catch((e) => setLoadError(errorText(e)));
    if (id === null) return;
    get<Person>(`/api/v1/persons/${id}${query({ purpose: t('person.purposeEdit') })}`)
      .then((p) => {
        setValues(valuesOf(p));
        setOriginal(valuesOf(p));
      })
      .catch((e) => setLoadError(errorText(e)));
  }, [id]);

  const set = (f: Field) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => {
    setValues((v) => ({ ...v, [f]: e.target.value }));
    setSaved(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFieldError(null);
    try {
      if (id === null) {
        const created = await request<Person>('POST', '/api/v1/persons', bodyOf(values, null));
        navigate(`/registry/persons/${created.id}?created=1`, true);
      } else {
        const changed = await request<Person>('PATCH', `/api/v1/persons/${id}${query({ purpose: t('person.purposeEdit') })}`, bodyOf(values, original));
        setValues(valuesOf(changed));
        setOriginal(valuesOf(changed));
      }
      setSaved(true);
    } catch (e) {
      setFieldError({ field: fieldOf(e, fields), text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  if (id !== null && original === null) return loadError ? <ErrorNote text={loadError} /> : <Loading />;

  const errorFor = (f: Field) =>
    fieldError?.field === f ? (
      <span className="field-error" id={`${f}-error`} role="alert">
        {fieldError.text}
      </span>
    ) : null;
  const described = (f: Field) => (fieldError?.field === f ? { 'aria-invalid': true, 'aria-describedby': `${f}-error` } : {});

  return (
    <section aria-labelledby="person-title">
      <div className="page-head">
        <h1 id="person-title">{id === null ? t('person.new') : t('person.edit', { id })}</h1>
        <a href="/registry/persons" onClick={(e) => linkClick(e, '/registry/persons')}>
          {t('common.back')}
        </a>
      </div>
      <RegistryTabs current="persons" />
      {saved && (
        <p className="done-note" role="status">
          {t('person.saved')}
        </p>
      )}
      {loadError && <ErrorNote text={loadError} />}
      <form className="action-form" onSubmit={submit} aria-labelledby="person-title">
        <label>
          {t('field.personName')}
          <input name="name" required maxLength={64} value={values.name} onChange={set('name')} {...described('name')} />
          {errorFor('name')}
        </label>
        <label>
          {t('field.id_number')}
          <input name="id_number" maxLength={32} value={values.id_number} onChange={set('id_number')} {...described('id_number')} />
          {errorFor('id_number')}
        </label>
        <label>
          {t('field.phone')}
          <input name="phone" type="tel" maxLength={32} value={values.phone} onChange={set('phone')} {...described('phone')} />
          {errorFor('phone')}
        </label>
        <label>
          {t('field.gender')}
          <select name="gender" value={values.gender} onChange={set('gender')} {...described('gender')}>
            <option value="">—</option>
            {['male', 'female'].map((g) => (
              <option key={g} value={g}>
                {label('gender', g)}
              </option>
            ))}
          </select>
          {errorFor('gender')}
        </label>
        <label>
          {t('field.category')}
          <select name="category" required value={values.category} onChange={set('category')} {...described('category')}>
            {['registered', 'tenant', 'floating', 'visitor'].map((c) => (
              <option key={c} value={c}>
                {label('personCategory', c)}
              </option>
            ))}
          </select>
          {errorFor('category')}
        </label>
        <label>
          {t('field.estate_id')}
          <select name="estate_id" value={values.estate_id} onChange={set('estate_id')} {...described('estate_id')}>
            <option value="">—</option>
            {estates.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
          {errorFor('estate_id')}
        </label>
        <label>
          {t('person.tagsHint')}
          <input name="tags" value={values.tags} onChange={set('tags')} {...described('tags')} />
          {errorFor('tags')}
        </label>
        <label>
          {t('field.household_address')}
          <input name="household_address" value={values.household_address} onChange={set('household_address')} {...described('household_address')} />
          {errorFor('household_address')}
        </label>
        <label>
          {t('common.note')}
          <textarea name="note" rows={3} maxLength={1000} value={values.note} onChange={set('note')} {...described('note')} />
          {errorFor('note')}
        </label>
        {fieldError && fieldError.field === null && <ErrorNote text={fieldError.text} />}
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
