-- Screening (排查, SPEC §4): saved questions, each run of them, and the findings of each
-- screening's latest run. Findings keep ids and facts only; names and ID numbers are read from the
-- registry when the findings are shown, so a corrected or deleted person is never shown stale.
-- region_path is the region the screening looks at, never wider than its creator's.
CREATE TABLE screenings (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  region_id INTEGER REFERENCES regions(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX screenings_scope ON screenings(region_path);

-- window_from and window_to are epoch milliseconds, inclusive.
CREATE TABLE screening_runs (
  id INTEGER PRIMARY KEY,
  screening_id INTEGER NOT NULL REFERENCES screenings(id),
  run_by TEXT NOT NULL,
  purpose TEXT NOT NULL,
  window_from INTEGER NOT NULL,
  window_to INTEGER NOT NULL,
  ran_at INTEGER NOT NULL,
  total INTEGER NOT NULL
);
CREATE INDEX screening_runs_screening ON screening_runs(screening_id, id);

-- ordinal is the finding's place in the run's order (1, 2, ...), which pages follow.
CREATE TABLE screening_findings (
  run_id INTEGER NOT NULL REFERENCES screening_runs(id),
  ordinal INTEGER NOT NULL,
  person_id INTEGER,
  plate TEXT,
  estate_id INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  passages INTEGER NOT NULL,
  away_ms INTEGER NOT NULL,
  PRIMARY KEY (run_id, ordinal)
) WITHOUT ROWID;
