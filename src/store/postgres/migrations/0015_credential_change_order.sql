-- Door terminals sync with ?since=seq, so credential changes must commit in the order of their
-- seq: a change that committed after one with a larger seq would never reach a terminal that had
-- already read past it. With several connections (several nodes, or one node's writers) two
-- transactions can each take a seq and commit in the other order. Each logging trigger now first
-- takes a transaction-wide advisory lock ("anju" "crd"), so a second writer takes its seq only
-- after the first has committed.
CREATE OR REPLACE FUNCTION credentials_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(27424476255973988);
  IF TG_OP = 'DELETE' THEN
    INSERT INTO credential_changes (op, person_id, credential_id, type, value)
    VALUES ('credential_deleted', OLD.person_id, OLD.id, OLD.type, OLD.value);
    RETURN OLD;
  END IF;
  INSERT INTO credential_changes (op, person_id, credential_id, type, value)
  VALUES ('credential_saved', NEW.person_id, NEW.id, NEW.type, NEW.value);
  IF TG_OP = 'UPDATE' AND OLD.person_id IS DISTINCT FROM NEW.person_id THEN
    INSERT INTO credential_changes (op, person_id, credential_id, type, value)
    VALUES ('credential_moved', OLD.person_id, OLD.id, OLD.type, OLD.value);
  END IF;
  RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION access_groups_log() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  l links;
BEGIN
  IF TG_OP = 'DELETE' THEN l := OLD; ELSE l := NEW; END IF;
  IF l.entity <> 'access_groups' THEN RETURN l; END IF;
  PERFORM pg_advisory_xact_lock(27424476255973988);
  INSERT INTO credential_changes (op, person_id, group_id, device_id)
  VALUES (CASE l.field WHEN 'person_ids'
            THEN CASE TG_OP WHEN 'DELETE' THEN 'member_removed' ELSE 'member_added' END
            ELSE CASE TG_OP WHEN 'DELETE' THEN 'door_removed' ELSE 'door_added' END END,
          CASE l.field WHEN 'person_ids' THEN CAST(l.value AS BIGINT) END,
          l.object_id,
          CASE l.field WHEN 'device_ids' THEN l.value END);
  RETURN l;
END;
$$;
