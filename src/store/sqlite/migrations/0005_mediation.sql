-- Mediation records (调解记录) kept on a case: who mediated, between which parties, the sessions
-- held, how it ended, and the court's judicial confirmation (司法确认) of an agreement. A record's
-- region is its case's: scope checks join cases, so a record never disagrees with its case.

-- kind: people, administrative or court. outcome stays NULL while the mediation is open and is
-- set once (agreed, failed or withdrawn). confirmation: none, requested, granted or refused; it
-- can leave none only after an agreement.
CREATE TABLE mediations (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL CHECK (kind IN ('people', 'administrative', 'court')),
  mediator TEXT NOT NULL,
  outcome TEXT CHECK (outcome IN ('agreed', 'failed', 'withdrawn')),
  agreement TEXT,
  concluded_at INTEGER,
  concluded_by TEXT,
  confirmation TEXT NOT NULL DEFAULT 'none'
    CHECK (confirmation IN ('none', 'requested', 'granted', 'refused')),
  court TEXT,
  confirmation_reference TEXT,
  confirmation_reason TEXT,
  confirmation_requested_at INTEGER,
  confirmation_decided_at INTEGER,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (coalesce(outcome, '') <> 'agreed' OR agreement IS NOT NULL),
  CHECK (confirmation = 'none' OR coalesce(outcome, '') = 'agreed')
);
CREATE INDEX mediations_case ON mediations(case_id);

CREATE TABLE mediation_parties (
  id INTEGER PRIMARY KEY,
  mediation_id INTEGER NOT NULL REFERENCES mediations(id),
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('applicant', 'respondent', 'other')),
  phone TEXT
);
CREATE INDEX mediation_parties_mediation ON mediation_parties(mediation_id);

CREATE TABLE mediation_sessions (
  id INTEGER PRIMARY KEY,
  mediation_id INTEGER NOT NULL REFERENCES mediations(id),
  held_at INTEGER NOT NULL,
  place TEXT,
  notes TEXT,
  recorded_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX mediation_sessions_mediation ON mediation_sessions(mediation_id, held_at);
