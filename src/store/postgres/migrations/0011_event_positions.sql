-- How far each consumer of the device events (the incident intake, the alert engine) has got, by
-- event key, so that after a crash it reads again the events it had not finished. The incident
-- intake writes it in the same transaction as the incidents it raised; the alert engine after
-- each batch, and when it reads events again it skips those an alert already lists.
CREATE TABLE event_positions (
  consumer TEXT PRIMARY KEY,
  event_key BIGINT NOT NULL
);
