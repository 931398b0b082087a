-- Leases among the nodes that share one database: the timers (1-3-5 escalation, case
-- supervision, offline detection, timed rules, retention) run on the one node that holds the
-- "timers" lease. Its holder renews it well before expires_at (ms since the epoch); once it stops,
-- another node takes it when it expires.
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
