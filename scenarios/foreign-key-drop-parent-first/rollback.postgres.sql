-- Undo in the order the forward did it.
DROP TABLE warehouses;
ALTER TABLE orders DROP COLUMN warehouse_id;
