-- The citizens' case loop (群众说事、干部解纷): the categories a case is filed under, the
-- departments that handle cases, the cases, their reporters, joint departments, attachments and
-- every step taken on them.

-- Categories are data: an admin adds a township's own. A category may shorten or lengthen the
-- time allowed to resolve a case (resolve_days; NULL keeps the level's default).
CREATE TABLE case_categories (
  id TEXT PRIMARY KEY,
  region_path TEXT NOT NULL,
  name TEXT NOT NULL,
  resolve_days INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
INSERT INTO case_categories (id, region_path, name, created_at, updated_at) VALUES
  ('land', '/', '土地纠纷', 0, 0),
  ('neighbour', '/', '邻里纠纷', 0, 0),
  ('family', '/', '婚姻家庭', 0, 0),
  ('labour', '/', '劳资纠纷', 0, 0),
  ('property', '/', '物业纠纷', 0, 0),
  ('safety', '/', '安全隐患', 0, 0),
  ('environment', '/', '环境卫生', 0, 0),
  ('traffic', '/', '交通事故', 0, 0),
  ('consumer', '/', '消费纠纷', 0, 0),
  ('service', '/', '服务诉求', 0, 0),
  ('other', '/', '其他', 0, 0);

-- 职能部门 and other units a case can be assigned to (交办) or called in on (吹哨报到).
CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  name TEXT NOT NULL,
  region_id INTEGER REFERENCES regions(id),
  phone TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX departments_scope ON departments(region_path);
CREATE INDEX departments_name ON departments(name);

-- A department user works the cases of their department.
ALTER TABLE users ADD COLUMN department_id INTEGER REFERENCES departments(id);

-- status: submitted, accepted, triaged, assigned, in_progress, resolved, feedback, rated, closed,
-- or merged (a duplicate folded into merged_into). due_at is the deadline of the current stage;
-- reminded_at is set when supervision (督办) has reminded the handler of it. The *_at columns keep
-- when the case last reached each stage, for statistics; resolved_on_time records whether the
-- last resolution met resolve_due_at.
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  region_path TEXT NOT NULL,
  region_id INTEGER REFERENCES regions(id),
  estate_id INTEGER REFERENCES estates(id),
  address TEXT,
  lat REAL,
  lon REAL,
  channel TEXT NOT NULL,
  category TEXT NOT NULL REFERENCES case_categories(id),
  description TEXT NOT NULL,
  anonymous INTEGER NOT NULL DEFAULT 0,
  reporter_user_id INTEGER REFERENCES users(id),
  status TEXT NOT NULL,
  level TEXT CHECK (level IN ('village', 'township', 'county')),
  route TEXT,
  lead_department_id INTEGER REFERENCES departments(id),
  due_at INTEGER,
  reminded_at INTEGER,
  escalations INTEGER NOT NULL DEFAULT 0,
  reopens INTEGER NOT NULL DEFAULT 0,
  merged_into INTEGER REFERENCES cases(id),
  source_kind TEXT,
  source_id INTEGER,
  summary TEXT,
  rating INTEGER CHECK (rating BETWEEN 1 AND 5),
  rating_comment TEXT,
  accepted_at INTEGER,
  assigned_at INTEGER,
  resolve_due_at INTEGER,
  resolved_at INTEGER,
  resolved_on_time INTEGER,
  rated_at INTEGER,
  closed_at INTEGER,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX cases_scope ON cases(region_path, created_at);
CREATE INDEX cases_due ON cases(due_at) WHERE due_at IS NOT NULL;
CREATE INDEX cases_place ON cases(category, estate_id, created_at);
CREATE INDEX cases_reporter_user ON cases(reporter_user_id);
CREATE INDEX cases_lead ON cases(lead_department_id);
CREATE INDEX cases_merged ON cases(merged_into);

-- Everyone who raised the matter: the first reporter, and those of duplicates merged into it, so
-- that each hears how it ends.
CREATE TABLE case_reporters (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  from_case_id INTEGER NOT NULL REFERENCES cases(id),
  name TEXT,
  phone TEXT,
  user_id INTEGER REFERENCES users(id)
);
CREATE INDEX case_reporters_case ON case_reporters(case_id);
CREATE INDEX case_reporters_user ON case_reporters(user_id);

-- Departments called in beside the lead (吹哨报到); reported_at is when they answered the call.
CREATE TABLE case_joint_departments (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  department_id INTEGER NOT NULL REFERENCES departments(id),
  reported_at INTEGER,
  PRIMARY KEY (case_id, department_id)
);
CREATE INDEX case_joint_department ON case_joint_departments(department_id);

CREATE TABLE case_attachments (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  sha256 TEXT NOT NULL,
  name TEXT,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  added_by TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, sha256)
);

-- Every step: who (a user, or "system" for supervision), when, from which status to which, the
-- note, and the action's own fields as JSON.
CREATE TABLE case_history (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  ts INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_user_id INTEGER REFERENCES users(id),
  action TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  note TEXT,
  details TEXT
);
CREATE INDEX case_history_case ON case_history(case_id, id);

-- Long-lived keys for systems rather than people (a city's Open311 gateway, the police system
-- sending incidents): each acts as the user it belongs to, and only its hash is kept.
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  key_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX api_keys_user ON api_keys(user_id);
