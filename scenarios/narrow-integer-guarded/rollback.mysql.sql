-- Refuse before changing anything when live counters do not fit INT: adding the check fails, naming it, when any
-- row violates it (whatever the session's sql_mode, where a plain MODIFY would clamp). Offending rows:
--   SELECT id, slug, view_count FROM articles WHERE view_count NOT BETWEEN -2147483648 AND 2147483647;
ALTER TABLE articles ADD CONSTRAINT rollback_guard_view_count_fits_int CHECK (view_count BETWEEN -2147483648 AND 2147483647);
ALTER TABLE articles DROP CONSTRAINT rollback_guard_view_count_fits_int;
ALTER TABLE articles MODIFY view_count INT NOT NULL DEFAULT 0;
