// Adds a registry record or changes one (/registry/rooms/new, /registry/devices/dev-1a2b3c, ...),
// for every kind that registry/forms.ts describes. The API checks every field; its refusal is
// shown next to the field it names, or above the form when it names none of them.
import { useEffect, useState, type FormEvent } from 'react';
import { errorText, get, query, request } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { linkClick, navigate, useLocation } from '../../shared/router';
import { ErrorNote, Loading } from '../../shared/ui';
import { bodyOf, emptyValues, recordApiPath, recordPath, valuesOf, type FormField, type RecordKind, type Values } from '../registry/forms';
import { fieldOf } from '../registry/form_errors';
import { BuildingPicker, OptionSelect, PersonPicker, RegionPicker, RoomPicker, UnitPicker, useEstates, type Described } from '../registry/pickers';
import { RegistryTabs } from './Registry';

type Stored = Record<string, unknown> & { id: number | string };

// A record just created, handed to its own page, which opens on it without reading it again. A
// device's signing secret is in that answer only: the page shows it once, and nothing keeps it.
const created = new Map<string, Stored>();

export function RecordForm({ kind, id }: { kind: RecordKind; id: string | null }) {
  useLang();
  const location = useLocation();
  const [values, setValues] = useState<Values>(() => emptyValues(kind));
  const [original, setOriginal] = useState<Values | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<{ field: string | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(location.endsWith('?created=1'));
  const estates = useEstates();
  const purpose = t('person.purposeEdit');
  const path = id === null ? null : recordApiPath(kind.list, id);

  useEffect(() => {
    if (path === null) return;
    const show = (record: Stored) => {
      setValues(valuesOf(kind, record));
      setOriginal(valuesOf(kind, record));
      if (typeof record.secret === 'string') setSecret(record.secret);
    };
    const handed = created.get(path);
    created.delete(path);
    if (handed) show(handed);
    else
      get<Stored>(`${path}${kind.personal ? query({ purpose }) : ''}`)
        .then(show)
        .catch((e) => setLoadError(errorText(e)));
  }, [path]);

  const set = (name: string, value: string) => {
    setValues((v) => {
      const next = { ...v, [name]: value };
      // A building belongs to an estate and a unit to a building: a new estate or building
      // leaves the old choice below it behind.
      if (name === 'estate_id' && 'building_id' in next) next.building_id = '';
      if ((name === 'estate_id' || name === 'building_id') && 'unit_id' in next) next.unit_id = '';
      return next;
    });
    setSaved(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFieldError(null);
    try {
      if (path === null) {
        const record = await request<Stored>('POST', `/api/v1/${kind.list}`, bodyOf(kind, values, null));
        created.set(recordApiPath(kind.list, record.id), record);
        navigate(`${recordPath(kind.list, record.id)}?created=1`, true);
      } else {
        const record = await request<Stored>('PATCH', `${path}${kind.personal ? query({ purpose }) : ''}`, bodyOf(kind, values, original));
        setValues(valuesOf(kind, record));
        setOriginal(valuesOf(kind, record));
        setSaved(true);
      }
    } catch (e) {
      setFieldError({ field: fieldOf(e, kind.fields.map((f) => f.name)), text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  if (path !== null && original === null) return loadError ? <ErrorNote text={loadError} /> : <Loading />;

  const title = id === null ? t(kind.newTitle) : t(kind.editTitle, { id });
  const described = (f: FormField): Described =>
    fieldError?.field === f.name ? { 'aria-invalid': true, 'aria-describedby': `${f.name}-error` } : f.hint ? { 'aria-describedby': `${f.name}-hint` } : {};

  const control = (f: FormField) => {
    const common = { name: f.name, label: t(f.label), value: values[f.name], required: f.required, onChange: (v: string) => set(f.name, v), described: described(f) };
    switch (f.type) {
      case 'region':
        return <RegionPicker {...common} />;
      case 'estate':
        return <OptionSelect {...common} options={estates} />;
      case 'building':
        return <BuildingPicker {...common} estate={'estate_id' in values ? values.estate_id : undefined} />;
      case 'unit':
        return <UnitPicker {...common} building={values.building_id ?? ''} />;
      case 'room':
        return <RoomPicker {...common} />;
      case 'person':
        return <PersonPicker {...common} purpose={purpose} />;
      case 'choice':
        return (
          <label>
            {common.label}
            <select name={f.name} required={f.required} disabled={f.createOnly && path !== null} value={common.value} onChange={(e) => set(f.name, e.target.value)} {...common.described}>
              {!f.required && <option value="">—</option>}
              {(f.choices ?? []).map((c) => (
                <option key={c} value={c}>
                  {label(f.enumPrefix ?? '', c)}
                </option>
              ))}
            </select>
          </label>
        );
      default:
        return (
          <label>
            {common.label}
            <input
              name={f.name}
              type={f.type === 'date' ? 'date' : f.name.endsWith('phone') ? 'tel' : 'text'}
              inputMode={f.type === 'integer' ? 'numeric' : f.type === 'real' ? 'decimal' : undefined}
              required={f.required}
              maxLength={f.maxLength}
              readOnly={f.createOnly && path !== null}
              value={common.value}
              onChange={(e) => set(f.name, e.target.value)}
              {...common.described}
            />
          </label>
        );
    }
  };

  return (
    <section aria-labelledby="record-title">
      <div className="page-head">
        <h1 id="record-title">{title}</h1>
        <a href={`/registry/${kind.list}`} onClick={(e) => linkClick(e, `/registry/${kind.list}`)}>
          {t('common.back')}
        </a>
      </div>
      <RegistryTabs current={kind.list} />
      {saved && (
        <p className="done-note" role="status">
          {t('person.saved')}
        </p>
      )}
      {secret && (
        <div className="notice secret-note" data-testid="device-secret">
          <p>{t('record.secretOnce')}</p>
          <code>{secret}</code>
        </div>
      )}
      {loadError && <ErrorNote text={loadError} />}
      <form className="action-form" onSubmit={submit} aria-labelledby="record-title">
        {kind.fields.map((f) => (
          <div key={f.name} className="form-field">
            {control(f)}
            {f.hint && (
              <span className="note" id={`${f.name}-hint`}>
                {t(f.hint)}
              </span>
            )}
            {fieldError?.field === f.name && (
              <span className="field-error" id={`${f.name}-error`} role="alert">
                {fieldError.text}
              </span>
            )}
          </div>
        ))}
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
