-- Reverse dependency order: the referencing column (and its foreign key) first, then the parent table.
-- In one transaction: a failure half way leaves nothing applied.
BEGIN;
ALTER TABLE orders DROP COLUMN warehouse_id;
DROP TABLE warehouses;
COMMIT;
