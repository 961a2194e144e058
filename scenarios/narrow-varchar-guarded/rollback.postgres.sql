-- Refuse before changing anything when live names do not fit the old column, and say which rows to fix.
-- One transaction: when the guard refuses, or a later statement fails, nothing has changed.
-- Fail fast instead of queueing every query on the table behind a lock wait; retry later.
SET lock_timeout = '5s';
BEGIN;
DO $$
DECLARE
    too_long bigint;
BEGIN
    SELECT count(*) INTO too_long FROM products WHERE char_length(name) > 80;
    IF too_long > 0 THEN
        RAISE EXCEPTION 'rollback refused: % products have names longer than 80 characters', too_long
            USING HINT = 'Shorten or archive them first: SELECT id, sku, name FROM products WHERE char_length(name) > 80';
    END IF;
END
$$;
ALTER TABLE products DROP COLUMN short_name;
ALTER TABLE products ALTER COLUMN name TYPE varchar(80);
COMMIT;
