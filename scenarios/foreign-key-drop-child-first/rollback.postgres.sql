-- Reverse dependency order: the referencing column (and its foreign key) first, then the parent table.
ALTER TABLE orders DROP COLUMN warehouse_id;
DROP TABLE warehouses;
