-- Alerts (预警) and what raises them: rules kept as data, watchlists (布控) of persons and
-- vehicles, and the notices of the live stream. Timestamps are epoch milliseconds.

-- Every notice pushed on the live stream, in order; its id is the stream's event id, so a client
-- that reconnects with Last-Event-ID is given what it missed.
CREATE TABLE notices (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  region_path TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- kind names one of the rule kinds of src/alerts/rule_kinds.cc; params is its JSON object, checked
-- against that kind when the rule is saved. schedule: NULL for always, or JSON {days, from, to} in
-- the estate's local time.
CREATE TABLE alert_rules (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,
  region_path TEXT NOT NULL,
  schedule TEXT,
  level TEXT NOT NULL CHECK (level IN ('low', 'normal', 'high', 'critical')),
  enabled INTEGER NOT NULL DEFAULT 1,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- A watchlist holds persons (by identity number, registry person or face) or vehicles (by plate),
-- valid in [valid_from, valid_to], asked for by an officer for a stated reason.
CREATE TABLE watchlists (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'vehicle')),
  reason TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  region_path TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('low', 'normal', 'high', 'critical')),
  threshold REAL NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (valid_from <= valid_to)
);

-- faces: JSON array of embeddings, each base64 of little-endian float32.
CREATE TABLE watchlist_entries (
  id INTEGER PRIMARY KEY,
  watchlist_id INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
  name TEXT,
  id_number TEXT,
  person_id INTEGER,
  plate TEXT,
  faces TEXT,
  note TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX watchlist_entries_list ON watchlist_entries(watchlist_id, id);
CREATE UNIQUE INDEX watchlist_entries_id_number ON watchlist_entries(watchlist_id, id_number)
  WHERE id_number IS NOT NULL;
CREATE UNIQUE INDEX watchlist_entries_plate ON watchlist_entries(watchlist_id, plate)
  WHERE plate IS NOT NULL;

-- One alert per condition while it is open: dedup_key names the rule or watchlist entry and what
-- it fired on, and a repeat updates last_ts and count instead of adding an alert.
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('rule', 'watchlist')),
  rule_id INTEGER REFERENCES alert_rules(id),
  watchlist_id INTEGER REFERENCES watchlists(id),
  entry_id INTEGER,
  kind TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'assigned', 'closed')),
  level TEXT NOT NULL,
  estate_id INTEGER,
  region_path TEXT NOT NULL,
  title TEXT NOT NULL,
  subject TEXT NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  count INTEGER NOT NULL,
  assigned_to TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  closed_at INTEGER
);
CREATE UNIQUE INDEX alerts_open_key ON alerts(dedup_key) WHERE status <> 'closed';
CREATE INDEX alerts_scope ON alerts(region_path, id);
CREATE INDEX alerts_status ON alerts(status, id);

-- The events that fired an alert (the first ones kept in full; `count` on the alert has them all).
CREATE TABLE alert_events (
  alert_id INTEGER NOT NULL REFERENCES alerts(id),
  event_key INTEGER,
  ts INTEGER NOT NULL,
  device_id TEXT,
  estate_id INTEGER,
  kind TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX alert_events_alert ON alert_events(alert_id, ts);

CREATE TABLE alert_steps (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts(id),
  action TEXT NOT NULL,
  by TEXT NOT NULL,
  at INTEGER NOT NULL,
  note TEXT,
  assigned_to TEXT
);
CREATE INDEX alert_steps_alert ON alert_steps(alert_id, id);
