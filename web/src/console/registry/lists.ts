// The registry lists the console shows as tables: their columns and the filters their API takes
// (docs/api.md, "The registry"). Values come as the API returns them for the user's role, so
// personal fields are already masked where the role has no need of them.
import type { WordKey } from '../../shared/i18n';

export interface Column {
  field: string;
  label: WordKey;
  // Enum values are shown through the words `${enumPrefix}.${value}`.
  enumPrefix?: string;
}

export interface Filter {
  param: string;
  label: WordKey;
  // A choice list (enum values with their word prefix), else free text.
  choices?: string[];
  enumPrefix?: string;
}

export interface RegistryList {
  name: string;
  label: WordKey;
  columns: Column[];
  // The filter the search box fills, when the list has one.
  search?: string;
  filters: Filter[];
}

const personCategories = ['registered', 'tenant', 'floating', 'visitor'];
const deviceKinds = ['camera', 'face_camera', 'door', 'barrier', 'fence', 'sos_button', 'smoke', 'electrical', 'throwing_camera', 'display'];
const premisesKinds = ['shop', 'restaurant', 'workshop', 'entertainment', 'company', 'warehouse', 'other'];

export const registryLists: RegistryList[] = [
  {
    name: 'persons',
    label: 'registry.persons',
    columns: [
      { field: 'id', label: 'field.id' },
      { field: 'name', label: 'field.personName' },
      { field: 'id_number', label: 'field.id_number' },
      { field: 'phone', label: 'field.phone' },
      { field: 'gender', label: 'field.gender', enumPrefix: 'gender' },
      { field: 'category', label: 'field.category', enumPrefix: 'personCategory' },
      { field: 'estate_id', label: 'field.estate_id' },
      { field: 'tags', label: 'field.tags' },
    ],
    search: 'q',
    filters: [
      { param: 'category', label: 'field.category', choices: personCategories, enumPrefix: 'personCategory' },
      { param: 'tag', label: 'field.tags' },
      { param: 'estate_id', label: 'field.estate_id' },
    ],
  },
  {
    name: 'estates',
    label: 'registry.estates',
    columns: [
      { field: 'id', label: 'field.id' },
      { field: 'name', label: 'field.estateName' },
      { field: 'address', label: 'field.address' },
      { field: 'closure', label: 'field.closure', enumPrefix: 'closure' },
      { field: 'age', label: 'field.age', enumPrefix: 'estateAge' },
      { field: 'tier', label: 'field.tier', enumPrefix: 'tier' },
      { field: 'plan_width', label: 'field.plan_width' },
      { field: 'plan_height', label: 'field.plan_height' },
    ],
    search: 'q',
    filters: [],
  },
  {
    name: 'buildings',
    label: 'registry.buildings',
    columns: [
      { field: 'id', label: 'field.id' },
      { field: 'name', label: 'field.buildingName' },
      { field: 'estate_id', label: 'field.estate_id' },
      { field: 'floors', label: 'field.floors' },
      { field: 'plan_x', label: 'field.plan_x' },
      { field: 'plan_y', label: 'field.plan_y' },
      { field: 'code', label: 'field.code' },
    ],
    filters: [{ param: 'estate_id', label: 'field.estate_id' }],
  },
  {
    name: 'rooms',
    label: 'registry.rooms',
    columns: [
      { field: 'id', label: 'field.id' },
      { field: 'building_id', label: 'field.building_id' },
      { field: 'number', label: 'field.number' },
      { field: 'floor', label: 'field.floor' },
      { field: 'area', label: 'field.area' },
      { field: 'use', label: 'field.use', enumPrefix: 'roomUse' },
      { field: 'address_code', label: 'field.address_code' },
    ],
    filters: [
      { param: 'estate_id', label: 'field.estate_id' },
      { param: 'building_id', label: 'field.building_id' },
    ],
  },
  {
    name: 'vehicles',
    label: 'registry.vehicles',
    columns: [
      { field: 'id', label: 'field.id' },
      { field: 'plate', label: 'field.plate' },
      { field: 'plate_color', label: 'field.plate_color', enumPrefix: 'plateColor' },
      { field: 'person_id', label: 'field.owner' },
      { field: 'estate_id', label: 'field.estate_id' },
      { field: 'kind', label: 'field.kind', enumPrefix: 'vehicleKind' },
      { field: 'brand', label: 'field.brand' },
    ],
    search: 'plate',
    filters: [{ param: 'estate_id', label: 'field.estate_id' }],
  },
  {
    name: 'devices',
    label: 'registry.devices',
    columns: [
      { field: 'id', label: 'field.id' },
      { field: 'name', label: 'field.name' },
      { field: 'kind', label: 'field.kind', enumPrefix: 'deviceKind' },
      { field: 'estate_id', label: 'field.estate_id' },
      { field: 'position', label: 'field.position', enumPrefix: 'position' },
      { field: 'online', label: 'field.online' },
      { field: 'last_seen', label: 'field.last_seen' },
    ],
    filters: [
      { param: 'kind', label: 'field.kind', choices: deviceKinds, enumPrefix: 'deviceKind' },
      { param: 'estate_id', label: 'field.estate_id' },
    ],
  },
  {
    name: 'rentals',
    label: 'registry.rentals',
    columns: [
      { field: 'id', label: 'field.id' },
      { field: 'room_id', label: 'field.room_id' },
      { field: 'landlord_id', label: 'field.landlord_id' },
      { field: 'tenant_count', label: 'field.tenant_count' },
      { field: 'purpose', label: 'field.rental_purpose', enumPrefix: 'rentalPurpose' },
      { field: 'status', label: 'field.status', enumPrefix: 'rentalStatus' },
      { field: 'contract_until', label: 'field.contract_until' },
    ],
    filters: [{ param: 'status', label: 'field.status', choices: ['active', 'ended'], enumPrefix: 'rentalStatus' }],
  },
  {
    name: 'premises',
    label: 'registry.premises',
    columns: [
      { field: 'id', label: 'field.id' },
      { field: 'name', label: 'field.name' },
      { field: 'kind', label: 'field.kind', enumPrefix: 'premisesKind' },
      { field: 'estate_id', label: 'field.estate_id' },
      { field: 'contact_name', label: 'field.contact_name' },
      { field: 'contact_phone', label: 'field.contact_phone' },
      { field: 'licence_no', label: 'field.licence_no' },
    ],
    search: 'q',
    filters: [{ param: 'kind', label: 'field.kind', choices: premisesKinds, enumPrefix: 'premisesKind' }],
  },
];

export function registryList(name: string): RegistryList | undefined {
  return registryLists.find((l) => l.name === name);
}

// A cell's text: lists joined, booleans as words given by the caller, nothing as a dash.
export function cellText(value: unknown, yes: string, no: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join('、') : '—';
  if (typeof value === 'boolean') return value ? yes : no;
  return String(value);
}

// The filters of a list found in a page's query string, only the ones the list takes.
export function filtersFrom(list: RegistryList, search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [list.search, ...list.filters.map((f) => f.param)]) {
    if (!name) continue;
    const value = search.get(name);
    if (value) out[name] = value;
  }
  return out;
}
