-- Reverse dependency order: the foreign key, then the referencing column, then the parent table.
ALTER TABLE orders DROP FOREIGN KEY orders_warehouse_fk;
ALTER TABLE orders DROP COLUMN warehouse_id;
DROP TABLE warehouses;
