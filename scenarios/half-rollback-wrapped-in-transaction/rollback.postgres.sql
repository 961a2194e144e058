-- Fail fast instead of queueing every query on the table behind a lock wait; retry later.
SET lock_timeout = '5s';
BEGIN;
ALTER TABLE orders DROP COLUMN download_url;
ALTER TABLE orders ALTER COLUMN shipping_address SET NOT NULL;
COMMIT;
