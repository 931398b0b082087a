-- Access control: logins linked to persons, visitor passes, phone authorisations, the change log
-- that door terminals sync their credential lists from, and announcements for door displays.

-- A resident's login names their person record: whose passes they issue, which doors they open.
ALTER TABLE users ADD COLUMN person_id INTEGER REFERENCES persons(id);
CREATE INDEX users_person ON users(person_id);

-- A visitor pass admits one visitor through the doors of the host's estate (or the listed ones)
-- within [valid_from, valid_to], at most max_uses times. The 6-digit code is kept only as
-- SHA-256("estate_id:code"). With a million possible codes the hash does not stop someone holding
-- the file from finding a code by trying them all; it keeps codes out of sight of whoever browses
-- the database or a backup. What protects a pass is its short window, its few uses, and that a
-- code is looked up only among the passes of the door's own estate.
CREATE TABLE visitor_passes (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  estate_id INTEGER NOT NULL REFERENCES estates(id),
  host_person_id INTEGER NOT NULL REFERENCES persons(id),
  visitor_name TEXT NOT NULL,
  visitor_phone TEXT,
  plate TEXT,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER NOT NULL,
  max_uses INTEGER NOT NULL CHECK (max_uses > 0),
  uses_left INTEGER NOT NULL CHECK (uses_left >= 0),
  device_ids TEXT,  -- a JSON array of door ids; NULL: every door of the estate
  code_hash TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX visitor_passes_code ON visitor_passes(estate_id, code_hash);
CREATE INDEX visitor_passes_host ON visitor_passes(host_person_id);
CREATE INDEX visitor_passes_plate ON visitor_passes(estate_id, plate);
CREATE INDEX visitor_passes_scope ON visitor_passes(region_path);

-- A door asks a host to let a visitor in. pending -> approved -> used (the door opened once), or
-- pending -> refused, or pending/approved -> expired after expires_at.
CREATE TABLE phone_authorisations (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  device_id TEXT NOT NULL REFERENCES devices(id),
  estate_id INTEGER NOT NULL REFERENCES estates(id),
  host_person_id INTEGER NOT NULL REFERENCES persons(id),
  visitor_name TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('pending', 'approved', 'refused', 'expired', 'used')),
  decided_by TEXT,
  decided_at INTEGER,
  opened_at INTEGER,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX phone_authorisations_host ON phone_authorisations(host_person_id, status);

-- Every change that can alter what a door terminal must hold: a credential saved or deleted, a
-- person added to or removed from an access group, a door added to or removed from one. Filled
-- by the triggers below, whatever wrote the change (API, import, CLI), so a terminal that syncs
-- with ?since=seq misses nothing. AUTOINCREMENT: a seq is never reused, even after deletions.
CREATE TABLE credential_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  op TEXT NOT NULL,  -- credential_saved, credential_moved, credential_deleted,
                     -- member_added, member_removed, door_added, door_removed
  person_id INTEGER,
  credential_id INTEGER,
  type TEXT,
  value TEXT,
  group_id INTEGER,
  device_id TEXT,
  changed_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER) * 1000)
);

CREATE TRIGGER credentials_log_insert AFTER INSERT ON credentials BEGIN
  INSERT INTO credential_changes (op, person_id, credential_id, type, value)
  VALUES ('credential_saved', NEW.person_id, NEW.id, NEW.type, NEW.value);
END;

CREATE TRIGGER credentials_log_update AFTER UPDATE ON credentials BEGIN
  INSERT INTO credential_changes (op, person_id, credential_id, type, value)
  VALUES ('credential_saved', NEW.person_id, NEW.id, NEW.type, NEW.value);
  INSERT INTO credential_changes (op, person_id, credential_id, type, value)
  SELECT 'credential_moved', OLD.person_id, OLD.id, OLD.type, OLD.value
  WHERE OLD.person_id IS NOT NEW.person_id;
END;

CREATE TRIGGER credentials_log_delete AFTER DELETE ON credentials BEGIN
  INSERT INTO credential_changes (op, person_id, credential_id, type, value)
  VALUES ('credential_deleted', OLD.person_id, OLD.id, OLD.type, OLD.value);
END;

CREATE TRIGGER access_groups_log_link AFTER INSERT ON links
WHEN NEW.entity = 'access_groups' BEGIN
  INSERT INTO credential_changes (op, person_id, group_id, device_id)
  VALUES (CASE NEW.field WHEN 'person_ids' THEN 'member_added' ELSE 'door_added' END,
          CASE NEW.field WHEN 'person_ids' THEN CAST(NEW.value AS INTEGER) END,
          NEW.object_id,
          CASE NEW.field WHEN 'device_ids' THEN NEW.value END);
END;

CREATE TRIGGER access_groups_log_unlink AFTER DELETE ON links
WHEN OLD.entity = 'access_groups' BEGIN
  INSERT INTO credential_changes (op, person_id, group_id, device_id)
  VALUES (CASE OLD.field WHEN 'person_ids' THEN 'member_removed' ELSE 'door_removed' END,
          CASE OLD.field WHEN 'person_ids' THEN CAST(OLD.value AS INTEGER) END,
          OLD.object_id,
          CASE OLD.field WHEN 'device_ids' THEN OLD.value END);
END;

-- 公告: lost items, lost pets, works, notices, for one estate or some of its buildings (the
-- building_ids list lives in `links`).
CREATE TABLE announcements (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  category TEXT NOT NULL,
  estate_id INTEGER NOT NULL REFERENCES estates(id),
  valid_from INTEGER,
  valid_to INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX announcements_estate ON announcements(estate_id, valid_to);
CREATE INDEX announcements_scope ON announcements(region_path);
