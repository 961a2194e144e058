-- Reverse dependency order: the referencing column (and its foreign key) first, then the parent table.
-- One transaction: a failure changes nothing and the rollback can be retried.
-- Fail fast instead of queueing every query on the table behind a lock wait; retry later.
SET lock_timeout = '5s';
BEGIN;
ALTER TABLE orders DROP COLUMN warehouse_id;
DROP TABLE warehouses;
COMMIT;
