-- Refuse with the list of articles whose counters no longer fit an integer, before changing anything.
-- Fail fast instead of queueing every query on the table behind a lock wait; retry later.
SET lock_timeout = '5s';
DO $$
DECLARE
    too_big text;
BEGIN
    SELECT string_agg(slug, ', ' ORDER BY view_count DESC) INTO too_big
      FROM (SELECT slug, view_count FROM articles WHERE view_count NOT BETWEEN -2147483648 AND 2147483647 LIMIT 20) s;
    IF too_big IS NOT NULL THEN
        RAISE EXCEPTION 'rollback refused: view counters beyond the integer range (%)', too_big
            USING HINT = 'Decide what these counters become in the old schema (cap them, or keep bigint), then rerun.';
    END IF;
END
$$;
ALTER TABLE articles ALTER COLUMN view_count TYPE integer;
