-- The PostgreSQL twin of this migration makes credential changes commit in the order of their
-- seq, which door terminals sync by. SQLite has one writer at a time, so they already do; this
-- keeps the two schema histories in step.
SELECT 1;
