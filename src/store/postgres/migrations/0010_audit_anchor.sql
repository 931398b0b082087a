-- Retention (SPEC §8) removes the oldest audit records. The anchor keeps the id and hash of the
-- last one removed, so the chain still verifies from the first record kept, and the next record
-- written into an emptied log follows on from it. One row at most.
CREATE TABLE audit_anchor (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  last_id BIGINT NOT NULL,
  last_hash TEXT NOT NULL,
  removed_at BIGINT NOT NULL
);
