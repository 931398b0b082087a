-- How far each consumer of the device events (the incident intake) has got, by event key. It is
-- written in the same transaction as what the consumer made of those events, so after a crash
-- the consumer reads again exactly the events it had not finished, and none twice.
CREATE TABLE event_positions (
  consumer TEXT PRIMARY KEY,
  event_key INTEGER NOT NULL
);
