// The registry form's reference fields, picked by name rather than typed as numbers: a building
// within an estate, a unit within a building, a room within a building within an estate, a person
// found by name or ID number. Each reports the chosen id as text, as the form keeps every field.
import { useEffect, useState } from 'react';
import { get, query, type Page } from '../../shared/api';
import { t } from '../../shared/i18n';
import { useLoad } from '../../shared/ui';
import { regionTree, type Region } from '../dashboard_data';
import { personSearch } from './forms';

export interface Option {
  id: number;
  name: string;
}

// The invalid-field attributes the form gives the control that holds the value.
export type Described = Record<string, unknown>;

interface PickerProps {
  name: string;
  label: string;
  value: string;
  required?: boolean;
  onChange: (value: string) => void;
  described: Described;
}

// The options a list answers, named by `nameOf`; none while `path` is null or when it cannot be
// read (the select then offers nothing rather than another estate's leftovers).
export function useOptions(path: string | null, nameOf: (row: Record<string, unknown>) => string = (r) => String(r.name)): Option[] {
  const loaded = useLoad<Option[]>(
    () =>
      path === null
        ? Promise.resolve([])
        : get<Page<Record<string, unknown>>>(path)
            .then((page) => page.items.map((row) => ({ id: Number(row.id), name: nameOf(row) })))
            .catch(() => []),
    [path],
  );
  return loaded.data ?? [];
}

export function OptionSelect({ name, label, value, required, onChange, described, options, disabled }: PickerProps & { options: Option[]; disabled?: boolean }) {
  // A value not among the options (another estate's, or still loading) is kept and shown by id.
  const known = value === '' || options.some((o) => String(o.id) === value);
  return (
    <label>
      {label}
      <select name={name} required={required} disabled={disabled} value={value} onChange={(e) => onChange(e.target.value)} {...described}>
        <option value="">—</option>
        {!known && <option value={value}>#{value}</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function useEstates(): Option[] {
  return useOptions('/api/v1/estates?limit=1000');
}

// The regions the user sees, each indented under its parent.
export function RegionPicker(props: PickerProps) {
  const regions = useLoad<Option[]>(
    () =>
      get<Page<Region>>('/api/v1/regions?limit=1000')
        .then((page) => regionTree(page.items).map(({ region, depth }) => ({ id: region.id, name: '\u3000'.repeat(depth) + region.name })))
        .catch(() => []),
    [],
  );
  return <OptionSelect {...props} options={regions.data ?? []} />;
}

// The estate a building or room is looked for in, when the form itself has no estate field.
function EstateChoice({ name, value, onChange }: { name: string; value: string; onChange: (value: string) => void }) {
  const estates = useEstates();
  return <OptionSelect name={`${name}-estate`} label={t('field.estate_id')} value={value} options={estates} onChange={onChange} described={{}} />;
}

const buildingsOf = (estate: string) => (estate ? `/api/v1/buildings${query({ estate_id: estate, limit: 1000 })}` : null);

// A building. `estate` is the form's own estate field when it has one; otherwise the picker asks
// for the estate first, and finds it from the building when the form opens on one.
export function BuildingPicker(props: PickerProps & { estate?: string }) {
  const [ownEstate, setOwnEstate] = useState('');
  const estate = props.estate ?? ownEstate;
  useEffect(() => {
    if (props.estate !== undefined || props.value === '' || ownEstate !== '') return;
    get<{ estate_id: number }>(`/api/v1/buildings/${props.value}`)
      .then((b) => setOwnEstate(String(b.estate_id)))
      .catch(() => undefined);
  }, [props.value, props.estate]);
  const buildings = useOptions(buildingsOf(estate));
  return (
    <>
      {props.estate === undefined && (
        <EstateChoice
          name={props.name}
          value={ownEstate}
          onChange={(v) => {
            setOwnEstate(v);
            props.onChange('');
          }}
        />
      )}
      <OptionSelect {...props} options={buildings} disabled={estate === ''} />
    </>
  );
}

export function UnitPicker(props: PickerProps & { building: string }) {
  const units = useOptions(props.building ? `/api/v1/units${query({ building_id: props.building, limit: 1000 })}` : null);
  return <OptionSelect {...props} options={units} disabled={props.building === ''} />;
}

const roomName = (r: Record<string, unknown>) => (r.floor == null ? String(r.number) : t('record.roomOnFloor', { number: String(r.number), floor: String(r.floor) }));

// A room, chosen by estate, then building, then number.
export function RoomPicker(props: PickerProps) {
  const [estate, setEstate] = useState('');
  const [building, setBuilding] = useState('');
  useEffect(() => {
    if (props.value === '' || building !== '') return;
    get<{ building_id: number }>(`/api/v1/rooms/${props.value}`)
      .then(async (room) => {
        const b = await get<{ estate_id: number }>(`/api/v1/buildings/${room.building_id}`);
        setEstate(String(b.estate_id));
        setBuilding(String(room.building_id));
      })
      .catch(() => undefined);
  }, [props.value]);
  const buildings = useOptions(buildingsOf(estate));
  const rooms = useOptions(building ? `/api/v1/rooms${query({ building_id: building, limit: 1000 })}` : null, roomName);
  return (
    <>
      <EstateChoice
        name={props.name}
        value={estate}
        onChange={(v) => {
          setEstate(v);
          setBuilding('');
          props.onChange('');
        }}
      />
      <OptionSelect
        name={`${props.name}-building`}
        label={t('field.building_id')}
        value={building}
        options={buildings}
        disabled={estate === ''}
        onChange={(v) => {
          setBuilding(v);
          props.onChange('');
        }}
        described={{}}
      />
      <OptionSelect {...props} options={rooms} disabled={building === ''} />
    </>
  );
}

interface Found {
  id: number;
  name: string;
  id_number?: string | null;
}

// A person, found by name or ID number. The one already chosen is read once to show its name;
// that read is personal data, so it states the form's purpose and is audited like any other.
export function PersonPicker(props: PickerProps & { purpose: string }) {
  const [chosen, setChosen] = useState<Found | null>(null);
  const [text, setText] = useState('');
  const [found, setFound] = useState<Found[] | null>(null);
  const [searching, setSearching] = useState(false);
  useEffect(() => {
    if (props.value === '' || chosen?.id === Number(props.value)) return;
    get<Found>(`/api/v1/persons/${props.value}${query({ purpose: props.purpose })}`)
      .then(setChosen)
      .catch(() => setChosen({ id: Number(props.value), name: `#${props.value}` }));
  }, [props.value]);

  const search = async () => {
    if (!text.trim()) return;
    setSearching(true);
    try {
      const page = await get<Page<Found>>(`/api/v1/persons${query({ ...personSearch(text), limit: 20 })}`);
      setFound(page.items);
    } catch {
      setFound([]);
    } finally {
      setSearching(false);
    }
  };
  const describe = (p: Found) => [p.name, p.id_number, `#${p.id}`].filter(Boolean).join(' · ');

  return (
    <fieldset className="picker">
      <legend>{props.label}</legend>
      <p className="note" data-testid={`${props.name}-chosen`}>
        {props.value === '' ? t('record.nobody') : chosen ? describe(chosen) : `#${props.value}`}
        {props.value !== '' && !props.required && (
          <button type="button" className="link" onClick={() => props.onChange('')}>
            {t('record.clear')}
          </button>
        )}
      </p>
      <div className="row">
        <label>
          {t('record.findPerson')}
          <input
            type="search"
            name={`${props.name}-search`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              // Enter searches here rather than saving the whole form.
              if (e.key === 'Enter') {
                e.preventDefault();
                void search();
              }
            }}
          />
        </label>
        <button type="button" disabled={searching} onClick={() => void search()}>
          {t('record.search')}
        </button>
      </div>
      {found !== null &&
        (found.length === 0 ? (
          <p className="note">{t('record.noneFound')}</p>
        ) : (
          <label>
            {t('record.pickPerson')}
            <select
              name={props.name}
              value={found.some((p) => String(p.id) === props.value) ? props.value : ''}
              onChange={(e) => {
                const person = found.find((p) => String(p.id) === e.target.value);
                if (person) setChosen(person);
                props.onChange(e.target.value);
              }}
              {...props.described}
            >
              <option value="">—</option>
              {found.map((p) => (
                <option key={p.id} value={p.id}>
                  {describe(p)}
                </option>
              ))}
            </select>
          </label>
        ))}
    </fieldset>
  );
}
