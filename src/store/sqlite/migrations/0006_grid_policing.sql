-- Grid work and community policing (SPEC §6): patrols and their check-ins, hazards and their
-- rectification loop, home visits, village police (一村一警), their service records (好事实事),
-- volunteer teams with duty rosters, and police incidents for the zero-incident share.

-- Timestamps are epoch milliseconds; started_at may be empty for a patrol entered afterwards.
CREATE TABLE patrols (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  grid_id INTEGER NOT NULL REFERENCES grids(id),
  worker TEXT,
  started_at INTEGER,
  ended_at INTEGER,
  route TEXT,
  findings TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX patrols_grid ON patrols(grid_id, started_at);
CREATE INDEX patrols_scope ON patrols(region_path);

CREATE TABLE patrol_checkins (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  patrol_id INTEGER NOT NULL REFERENCES patrols(id),
  ts INTEGER NOT NULL,
  building_id INTEGER REFERENCES buildings(id),
  place TEXT,
  plan_x REAL,
  plan_y REAL,
  note TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX patrol_checkins_patrol ON patrol_checkins(patrol_id, ts);
CREATE INDEX patrol_checkins_scope ON patrol_checkins(region_path);

-- status: reported, assigned, rectified, verified; only the actions endpoint changes it and the
-- columns after it. case_id is set when the hazard is taken into the case loop.
CREATE TABLE hazards (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  estate_id INTEGER REFERENCES estates(id),
  building_id INTEGER REFERENCES buildings(id),
  grid_id INTEGER REFERENCES grids(id),
  patrol_id INTEGER REFERENCES patrols(id),
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  reported_by TEXT,
  status TEXT NOT NULL,
  assignee TEXT,
  rectify_by TEXT,
  rectified_on TEXT,
  verified_on TEXT,
  case_id INTEGER REFERENCES cases(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX hazards_grid ON hazards(grid_id, created_at);
CREATE INDEX hazards_estate ON hazards(estate_id);
CREATE INDEX hazards_scope ON hazards(region_path, created_at);

-- Every step of a hazard's loop: who, when, from which status to which, and the action's own
-- fields (assignee, rectify_by, passed) as JSON.
CREATE TABLE hazard_history (
  id INTEGER PRIMARY KEY,
  hazard_id INTEGER NOT NULL REFERENCES hazards(id),
  ts INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  note TEXT,
  details TEXT
);
CREATE INDEX hazard_history_hazard ON hazard_history(hazard_id, id);

CREATE TABLE home_visits (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  visitor TEXT,
  visited_on TEXT NOT NULL,
  purpose TEXT,
  notes TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX home_visits_person ON home_visits(person_id, visited_on);
CREATE INDEX home_visits_scope ON home_visits(region_path);

CREATE TABLE police_assignments (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  officer TEXT NOT NULL,
  officer_name TEXT,
  region_id INTEGER NOT NULL REFERENCES regions(id),
  since TEXT,
  until TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX police_assignments_region ON police_assignments(region_id);
CREATE INDEX police_assignments_officer ON police_assignments(officer);
CREATE INDEX police_assignments_scope ON police_assignments(region_path);

CREATE TABLE service_records (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  officer TEXT NOT NULL,
  region_id INTEGER REFERENCES regions(id),
  estate_id INTEGER REFERENCES estates(id),
  kind TEXT NOT NULL,
  occurred_on TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 1,
  description TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX service_records_officer ON service_records(officer, occurred_on);
CREATE INDEX service_records_scope ON service_records(region_path, occurred_on);

CREATE TABLE volunteer_teams (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  region_id INTEGER REFERENCES regions(id),
  estate_id INTEGER REFERENCES estates(id),
  leader TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX volunteer_teams_scope ON volunteer_teams(region_path);

CREATE TABLE duty_rosters (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  team_id INTEGER NOT NULL REFERENCES volunteer_teams(id),
  duty_date TEXT NOT NULL,
  shift TEXT,
  area TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX duty_rosters_team ON duty_rosters(team_id, duty_date);
CREATE INDEX duty_rosters_scope ON duty_rosters(region_path);

-- external_ref is the police system's own number, so importing the same export twice cannot
-- count an incident twice.
CREATE TABLE police_incidents (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  kind TEXT NOT NULL,
  category TEXT NOT NULL,
  estate_id INTEGER REFERENCES estates(id),
  region_id INTEGER REFERENCES regions(id),
  occurred_at INTEGER NOT NULL,
  summary TEXT,
  external_ref TEXT UNIQUE,
  source TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX police_incidents_scope ON police_incidents(region_path, occurred_at);
CREATE INDEX police_incidents_estate ON police_incidents(estate_id, occurred_at);
