// The registry's forms: which fields each kind of record has in the console, how a field is
// entered, and what a filled form sends. The API checks every value again (ranges, plates, ID
// numbers, points inside the estate's plan) and its refusal names the field; the form only turns
// typed text into the JSON types the API takes, so that the API's own words reach the user.
import type { WordKey } from '../../shared/i18n';
import { mayUse } from '../navigation';

// How a field is entered. References are picked by name: a region or an estate from a list, a
// building within an estate, a unit within a building, a room within a building, a person by
// searching.
export type FieldType = 'text' | 'integer' | 'real' | 'date' | 'choice' | 'list' | 'region' | 'estate' | 'building' | 'unit' | 'room' | 'person';

export interface FormField {
  name: string;
  label: WordKey;
  type: FieldType;
  required?: boolean;
  maxLength?: number;
  choices?: readonly string[];
  enumPrefix?: string;
  // Given when the record is made and fixed afterwards (a device's id and kind).
  createOnly?: boolean;
  // A word under the field saying how to fill it.
  hint?: WordKey;
}

export interface RecordKind {
  list: string;
  // The API's editors of the kind (admins may edit every kind).
  editors: readonly string[];
  fields: readonly FormField[];
  // Reading one record of personal data asks for a purpose, which the audit log keeps.
  personal?: boolean;
  newTitle: WordKey;
  editTitle: WordKey;
}

// Who may add and change persons, buildings, rooms, rentals and premises, and import them.
export const registryEditors = ['grid_worker', 'police'];

const planPoint: FormField[] = [
  { name: 'plan_x', label: 'field.plan_x', type: 'real', hint: 'record.planHint' },
  { name: 'plan_y', label: 'field.plan_y', type: 'real' },
];

export const recordKinds: readonly RecordKind[] = [
  {
    list: 'persons',
    editors: registryEditors,
    personal: true,
    newTitle: 'record.new.persons',
    editTitle: 'record.edit.persons',
    fields: [
      { name: 'name', label: 'field.personName', type: 'text', required: true, maxLength: 64 },
      { name: 'id_number', label: 'field.id_number', type: 'text', maxLength: 32 },
      { name: 'phone', label: 'field.phone', type: 'text', maxLength: 32 },
      { name: 'gender', label: 'field.gender', type: 'choice', choices: ['male', 'female'], enumPrefix: 'gender' },
      { name: 'category', label: 'field.category', type: 'choice', required: true, choices: ['registered', 'tenant', 'floating', 'visitor'], enumPrefix: 'personCategory' },
      { name: 'estate_id', label: 'field.estate_id', type: 'estate' },
      { name: 'tags', label: 'person.tagsHint', type: 'list' },
      { name: 'household_address', label: 'field.household_address', type: 'text' },
      { name: 'note', label: 'common.note', type: 'text', maxLength: 1000 },
    ],
  },
  {
    list: 'estates',
    editors: ['grid_worker', 'security'],
    newTitle: 'record.new.estates',
    editTitle: 'record.edit.estates',
    fields: [
      { name: 'name', label: 'field.estateName', type: 'text', required: true },
      { name: 'region_id', label: 'field.region_id', type: 'region' },
      { name: 'address', label: 'field.address', type: 'text' },
      { name: 'closure', label: 'field.closure', type: 'choice', choices: ['closed', 'semi_closed', 'open'], enumPrefix: 'closure' },
      { name: 'age', label: 'field.age', type: 'choice', choices: ['old', 'new'], enumPrefix: 'estateAge' },
      { name: 'tier', label: 'field.tier', type: 'choice', choices: ['standard', 'enhanced', 'demonstration'], enumPrefix: 'tier' },
      { name: 'plan_width', label: 'field.plan_width', type: 'real', hint: 'record.planSizeHint' },
      { name: 'plan_height', label: 'field.plan_height', type: 'real' },
      { name: 'code', label: 'field.code', type: 'text', maxLength: 32 },
    ],
  },
  {
    list: 'buildings',
    editors: registryEditors,
    newTitle: 'record.new.buildings',
    editTitle: 'record.edit.buildings',
    fields: [
      { name: 'estate_id', label: 'field.estate_id', type: 'estate', required: true },
      { name: 'name', label: 'field.buildingName', type: 'text', required: true },
      { name: 'floors', label: 'field.floors', type: 'integer' },
      ...planPoint,
      { name: 'code', label: 'field.code', type: 'text', maxLength: 32 },
    ],
  },
  {
    list: 'rooms',
    editors: registryEditors,
    newTitle: 'record.new.rooms',
    editTitle: 'record.edit.rooms',
    fields: [
      { name: 'building_id', label: 'field.building_id', type: 'building', required: true },
      { name: 'unit_id', label: 'field.unit_id', type: 'unit' },
      { name: 'number', label: 'field.number', type: 'text', required: true, maxLength: 32 },
      { name: 'floor', label: 'field.floor', type: 'integer' },
      { name: 'area', label: 'field.area', type: 'real' },
      { name: 'use', label: 'field.use', type: 'choice', choices: ['residential', 'commercial', 'office', 'other'], enumPrefix: 'roomUse' },
      { name: 'address_code', label: 'field.address_code', type: 'text', maxLength: 64, hint: 'record.addressCodeHint' },
    ],
  },
  {
    list: 'vehicles',
    editors: ['security', ...registryEditors],
    newTitle: 'record.new.vehicles',
    editTitle: 'record.edit.vehicles',
    fields: [
      { name: 'plate', label: 'field.plate', type: 'text', required: true, maxLength: 16 },
      { name: 'plate_color', label: 'field.plate_color', type: 'choice', choices: ['blue', 'yellow', 'green', 'yellow_green', 'white', 'black'], enumPrefix: 'plateColor', hint: 'record.plateColorHint' },
      { name: 'person_id', label: 'field.owner', type: 'person' },
      { name: 'estate_id', label: 'field.estate_id', type: 'estate' },
      { name: 'kind', label: 'field.kind', type: 'choice', choices: ['resident', 'temporary'], enumPrefix: 'vehicleKind' },
      { name: 'brand', label: 'field.brand', type: 'text', maxLength: 64 },
      { name: 'colour', label: 'field.colour', type: 'text', maxLength: 32 },
    ],
  },
  {
    list: 'devices',
    editors: ['security'],
    newTitle: 'record.new.devices',
    editTitle: 'record.edit.devices',
    fields: [
      { name: 'id', label: 'field.deviceId', type: 'text', maxLength: 64, createOnly: true, hint: 'record.deviceIdHint' },
      { name: 'name', label: 'field.name', type: 'text', required: true },
      {
        name: 'kind',
        label: 'field.kind',
        type: 'choice',
        required: true,
        createOnly: true,
        choices: ['camera', 'face_camera', 'door', 'barrier', 'fence', 'sos_button', 'smoke', 'electrical', 'throwing_camera', 'display'],
        enumPrefix: 'deviceKind',
      },
      { name: 'estate_id', label: 'field.estate_id', type: 'estate', required: true },
      { name: 'building_id', label: 'field.building_id', type: 'building' },
      { name: 'position', label: 'field.position', type: 'choice', choices: ['gate', 'building', 'unit', 'point'], enumPrefix: 'position' },
      { name: 'direction', label: 'field.direction', type: 'choice', choices: ['in', 'out', 'both'], enumPrefix: 'direction' },
      ...planPoint,
      { name: 'vendor', label: 'field.vendor', type: 'text', maxLength: 64 },
    ],
  },
  {
    list: 'rentals',
    editors: registryEditors,
    newTitle: 'record.new.rentals',
    editTitle: 'record.edit.rentals',
    fields: [
      { name: 'room_id', label: 'field.room_id', type: 'room', required: true },
      { name: 'landlord_id', label: 'field.landlord_id', type: 'person' },
      { name: 'tenant_count', label: 'field.tenant_count', type: 'integer' },
      { name: 'purpose', label: 'field.rental_purpose', type: 'choice', choices: ['residential', 'group', 'commercial'], enumPrefix: 'rentalPurpose' },
      { name: 'status', label: 'field.status', type: 'choice', choices: ['active', 'ended'], enumPrefix: 'rentalStatus' },
      { name: 'registered_on', label: 'field.registered_on', type: 'date' },
      { name: 'contract_until', label: 'field.contract_until', type: 'date' },
    ],
  },
  {
    list: 'premises',
    editors: registryEditors,
    newTitle: 'record.new.premises',
    editTitle: 'record.edit.premises',
    fields: [
      { name: 'name', label: 'field.premisesName', type: 'text', required: true },
      {
        name: 'kind',
        label: 'field.kind',
        type: 'choice',
        required: true,
        choices: ['shop', 'restaurant', 'workshop', 'entertainment', 'company', 'warehouse', 'other'],
        enumPrefix: 'premisesKind',
      },
      { name: 'three_smalls', label: 'field.three_smalls', type: 'choice', choices: ['none', 'small_stall', 'small_workshop', 'small_entertainment'], enumPrefix: 'threeSmalls' },
      { name: 'estate_id', label: 'field.estate_id', type: 'estate' },
      { name: 'address', label: 'field.address', type: 'text' },
      { name: 'licence_no', label: 'field.licence_no', type: 'text', maxLength: 64 },
      { name: 'contact_name', label: 'field.contact_name', type: 'text', maxLength: 64 },
      { name: 'contact_phone', label: 'field.contact_phone', type: 'text', maxLength: 32 },
    ],
  },
];

export function recordKind(list: string): RecordKind | undefined {
  return recordKinds.find((k) => k.list === list);
}

export type Values = Record<string, string>;

// What a new record's form starts with: a required choice starts on its first choice, so that
// the select shows what will be sent.
export function emptyValues(kind: RecordKind): Values {
  return Object.fromEntries(kind.fields.map((f) => [f.name, f.required && f.choices ? f.choices[0] : '']));
}

// A record as the API answers it, as the form's text.
export function valuesOf(kind: RecordKind, record: Record<string, unknown>): Values {
  const out: Values = {};
  for (const f of kind.fields) {
    const value = record[f.name];
    if (value === null || value === undefined) out[f.name] = '';
    else if (Array.isArray(value)) out[f.name] = value.join(', ');
    else out[f.name] = String(value);
  }
  return out;
}

// One field's text as the API's JSON type. A number that does not read as one is sent as typed,
// so that the API's refusal names the field in its own words.
function jsonOf(field: FormField, text: string): unknown {
  const v = text.trim();
  if (v === '') return field.type === 'list' ? [] : null;
  switch (field.type) {
    case 'list':
      return v.split(/[,，、\s]+/).filter(Boolean);
    case 'integer':
    case 'real':
    case 'region':
    case 'estate':
    case 'building':
    case 'unit':
    case 'room':
    case 'person': {
      const n = Number(v);
      return Number.isFinite(n) ? n : v;
    }
    default:
      return v;
  }
}

// The body the API takes. Adding: empty fields are left out. Changing (`original` given): only
// the fields changed are sent, an emptied one as null, which clears it; so a masked value the
// form was given back unchanged is never sent, and a field fixed at creation is never sent.
export function bodyOf(kind: RecordKind, values: Values, original: Values | null): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of kind.fields) {
    if (original && (f.createOnly || values[f.name] === original[f.name])) continue;
    const value = jsonOf(f, values[f.name] ?? '');
    if (!original && (value === null || (Array.isArray(value) && value.length === 0))) continue;
    body[f.name] = value;
  }
  return body;
}

// Whether a user with these roles may add and change records of the kind.
export function mayEdit(kind: RecordKind | undefined, roles: readonly string[]): boolean {
  return kind !== undefined && mayUse(roles, kind.editors);
}

// The console's page of one record (`new` for a record to add), and the API's.
export const recordPath = (list: string, id: number | string) => `/registry/${list}/${encodeURIComponent(String(id))}`;
export const recordApiPath = (list: string, id: number | string) => `/api/v1/${list}/${encodeURIComponent(String(id))}`;

// A person is searched by ID number when the text is one (15 or 18 characters), else by name.
export function personSearch(text: string): Record<string, string> {
  const v = text.trim();
  return /^\d{15}$|^\d{17}[\dXx]$/.test(v) ? { id_number: v.toUpperCase() } : { q: v };
}
