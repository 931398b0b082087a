-- Installation-wide settings that an admin changes from the console. A row overrides the
-- configuration file's value of the same name ("retention.events") for as long as it exists;
-- removing it hands the setting back to the file. Who set it and when sit beside the value; the
-- old and new values of every change are in the audit log.
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
