-- Incidents and the 1-3-5 minute response (1、3、5分钟快速响应): alarms and SOS presses become
-- incidents, each step of the response is timed from when the incident was raised, and stages
-- that run late are escalated up the region tree.

-- kind: the alarm type (intrusion, fence, fire, smoke, electrical, gas, throwing) or sos (a
-- device's emergency_call, or a resident's press in the portal). status: raised, acknowledged,
-- dispatched, on_scene, resolved, false_alarm. The *_due_at columns are the 1-3-5 targets fixed
-- when it was raised; *_escalated_at record that a late stage was escalated (once per stage), and
-- escalations / escalated_region_id where the incident now stands in the region tree.
-- region_path is the estate's, so that a scope check is one range comparison.
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  region_id INTEGER REFERENCES regions(id),
  estate_id INTEGER REFERENCES estates(id),
  kind TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('device', 'portal')),
  device_id TEXT,
  building_id INTEGER REFERENCES buildings(id),
  room_id INTEGER REFERENCES rooms(id),
  level TEXT,
  status TEXT NOT NULL,
  caller_person_id INTEGER REFERENCES persons(id),
  caller_user_id INTEGER REFERENCES users(id),
  address TEXT,
  dispatched_to TEXT,
  alarm_count INTEGER NOT NULL DEFAULT 1,
  last_alarm_at INTEGER NOT NULL,
  raised_at INTEGER NOT NULL,
  ack_due_at INTEGER NOT NULL,
  dispatch_due_at INTEGER NOT NULL,
  arrive_due_at INTEGER NOT NULL,
  acknowledged_at INTEGER,
  dispatched_at INTEGER,
  arrived_at INTEGER,
  closed_at INTEGER,
  ack_escalated_at INTEGER,
  dispatch_escalated_at INTEGER,
  arrive_escalated_at INTEGER,
  escalations INTEGER NOT NULL DEFAULT 0,
  escalated_region_id INTEGER REFERENCES regions(id),
  updated_at INTEGER NOT NULL
);
CREATE INDEX incidents_scope ON incidents(region_path, raised_at);
CREATE INDEX incidents_estate ON incidents(estate_id, raised_at);
CREATE INDEX incidents_open_device ON incidents(device_id, kind, status);
CREATE INDEX incidents_caller ON incidents(caller_user_id);
CREATE INDEX incidents_open ON incidents(status, raised_at);

-- The alarms that raised an incident or were attached to it while it was open: event_key is the
-- event store's key of the event (NULL for a press in the portal).
CREATE TABLE incident_alarms (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  event_key INTEGER,
  event_id TEXT,
  device_id TEXT,
  type TEXT NOT NULL,
  level TEXT,
  ts INTEGER NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX incident_alarms_incident ON incident_alarms(incident_id, id);

-- For an SOS: the caller and the people to ring, as the registry had them when it was raised
-- (the caller first, then the household's other members).
CREATE TABLE incident_contacts (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  person_id INTEGER REFERENCES persons(id),
  name TEXT NOT NULL,
  phone TEXT,
  relation TEXT NOT NULL
);
CREATE INDEX incident_contacts_incident ON incident_contacts(incident_id, id);

-- Every step: who (a user, or "system" for the timers), when, from which status to which, the
-- note, and the step's own fields as JSON.
CREATE TABLE incident_history (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  ts INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_user_id INTEGER REFERENCES users(id),
  action TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  note TEXT,
  details TEXT
);
CREATE INDEX incident_history_incident ON incident_history(incident_id, id);
