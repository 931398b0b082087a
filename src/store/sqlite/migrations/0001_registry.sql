-- The registry (一标三实), users, sessions and the audit chain.
-- region_path is the owning region's path ("/1/4/9/"), copied from the parent at write time, so
-- that a scope check is one indexed range comparison.
CREATE TABLE regions (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  parent_id INTEGER REFERENCES regions(id),
  code TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX regions_parent ON regions(parent_id);
CREATE INDEX regions_scope ON regions(region_path);

CREATE TABLE estates (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  name TEXT NOT NULL,
  region_id INTEGER REFERENCES regions(id),
  address TEXT,
  closure TEXT,
  age TEXT,
  tier TEXT,
  plan_width REAL,
  plan_height REAL,
  code TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX estates_scope ON estates(region_path);
CREATE INDEX estates_region ON estates(region_id);

CREATE TABLE buildings (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  estate_id INTEGER NOT NULL REFERENCES estates(id),
  name TEXT NOT NULL,
  floors INTEGER,
  plan_x REAL,
  plan_y REAL,
  code TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX buildings_estate ON buildings(estate_id);
CREATE INDEX buildings_scope ON buildings(region_path);

CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  building_id INTEGER NOT NULL REFERENCES buildings(id),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX units_building ON units(building_id);
CREATE INDEX units_scope ON units(region_path);

CREATE TABLE rooms (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  building_id INTEGER NOT NULL REFERENCES buildings(id),
  unit_id INTEGER REFERENCES units(id),
  number TEXT NOT NULL,
  floor INTEGER,
  area REAL,
  use TEXT,
  address_code TEXT UNIQUE,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX rooms_building ON rooms(building_id);
CREATE INDEX rooms_unit ON rooms(unit_id);
CREATE INDEX rooms_scope ON rooms(region_path);

CREATE TABLE persons (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  name TEXT NOT NULL,
  id_number TEXT UNIQUE,
  phone TEXT,
  gender TEXT,
  birth_date TEXT,
  category TEXT NOT NULL,
  estate_id INTEGER REFERENCES estates(id),
  region_id INTEGER REFERENCES regions(id),
  household_address TEXT,
  note TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX persons_scope ON persons(region_path);
CREATE INDEX persons_estate ON persons(estate_id);
CREATE INDEX persons_phone ON persons(phone);
CREATE INDEX persons_name ON persons(name);

CREATE TABLE residences (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  room_id INTEGER NOT NULL REFERENCES rooms(id),
  relation TEXT NOT NULL,
  moved_in TEXT,
  moved_out TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX residences_person ON residences(person_id);
CREATE INDEX residences_room ON residences(room_id);
CREATE INDEX residences_scope ON residences(region_path);

CREATE TABLE rentals (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  room_id INTEGER NOT NULL REFERENCES rooms(id),
  landlord_id INTEGER REFERENCES persons(id),
  tenant_count INTEGER,
  purpose TEXT,
  status TEXT,
  registered_on TEXT,
  contract_until TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX rentals_room ON rentals(room_id);
CREATE INDEX rentals_scope ON rentals(region_path);

CREATE TABLE premises (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  three_smalls TEXT,
  estate_id INTEGER REFERENCES estates(id),
  region_id INTEGER REFERENCES regions(id),
  address TEXT,
  licence_no TEXT,
  contact_name TEXT,
  contact_phone TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX premises_scope ON premises(region_path);
CREATE INDEX premises_estate ON premises(estate_id);

CREATE TABLE inspections (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  rental_id INTEGER REFERENCES rentals(id),
  premises_id INTEGER REFERENCES premises(id),
  inspector TEXT,
  inspected_on TEXT NOT NULL,
  result TEXT NOT NULL,
  findings TEXT,
  rectify_by TEXT,
  rectified_on TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX inspections_rental ON inspections(rental_id);
CREATE INDEX inspections_premises ON inspections(premises_id);
CREATE INDEX inspections_scope ON inspections(region_path);

CREATE TABLE vehicles (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  plate TEXT NOT NULL UNIQUE,
  plate_color TEXT,
  person_id INTEGER REFERENCES persons(id),
  estate_id INTEGER REFERENCES estates(id),
  kind TEXT,
  brand TEXT,
  colour TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX vehicles_person ON vehicles(person_id);
CREATE INDEX vehicles_estate ON vehicles(estate_id);
CREATE INDEX vehicles_scope ON vehicles(region_path);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  region_path TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  estate_id INTEGER NOT NULL REFERENCES estates(id),
  building_id INTEGER REFERENCES buildings(id),
  position TEXT,
  direction TEXT,
  plan_x REAL,
  plan_y REAL,
  vendor TEXT,
  online INTEGER NOT NULL DEFAULT 0,
  last_seen INTEGER,
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX devices_estate ON devices(estate_id, kind);
CREATE INDEX devices_scope ON devices(region_path);

CREATE TABLE credentials (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  type TEXT NOT NULL,
  value TEXT,
  embedding TEXT,
  valid_from INTEGER,
  valid_to INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX credentials_person ON credentials(person_id);
CREATE INDEX credentials_value ON credentials(type, value);
CREATE INDEX credentials_scope ON credentials(region_path);

CREATE TABLE access_groups (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  name TEXT NOT NULL,
  estate_id INTEGER NOT NULL REFERENCES estates(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX access_groups_scope ON access_groups(region_path);

CREATE TABLE grids (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  name TEXT NOT NULL,
  region_id INTEGER REFERENCES regions(id),
  estate_id INTEGER REFERENCES estates(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX grids_scope ON grids(region_path);

-- List fields (tags, group members, grid buildings), one row per element.
CREATE TABLE links (
  entity TEXT NOT NULL,
  field TEXT NOT NULL,
  object_id INTEGER NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (entity, object_id, field, value)
);
CREATE INDEX links_value ON links(entity, field, value);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  region_id INTEGER REFERENCES regions(id),
  display_name TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Tokens are stored as their SHA-256 only, so a copy of the database opens no sessions.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  object_id TEXT,
  purpose TEXT,
  address TEXT,
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_ts ON audit(ts);
CREATE INDEX audit_user ON audit(user_name, ts);
CREATE INDEX audit_object ON audit(object, ts);
