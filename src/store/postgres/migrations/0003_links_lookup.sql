-- List lookups by value (which groups hold this person, which hold this door) read object_id
-- too: with it in the index the lookup never touches the table, and SQLite's planner, which has
-- no statistics, no longer prefers scanning the primary key of every access group's links.
DROP INDEX links_value;
CREATE INDEX links_value ON links(entity, field, value, object_id);
