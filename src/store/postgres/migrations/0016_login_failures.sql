-- Failed sign-ins of the last few minutes, by username ("u:NAME") and by address ("a:ADDRESS"),
-- kept in the database so that every node sharing it counts the same failures: several nodes must
-- not allow several times the guesses (api/login_throttle.h). Rows older than the window are
-- removed as new failures are recorded.
CREATE TABLE login_failures (
  subject TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures(subject, at);
CREATE INDEX login_failures_at ON login_failures(at);
