-- Reverse dependency order. SQLite cannot drop a column that is part of a foreign key, so orders is rebuilt
-- without it (foreign keys off around the swap, checked before committing), then the parent table goes.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE orders_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    total        DECIMAL(10, 2) NOT NULL CHECK (total >= 0),
    note         TEXT
);
INSERT INTO orders_new (id, customer_id, total, note) SELECT id, customer_id, total, note FROM orders;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
CREATE INDEX orders_customer_idx ON orders (customer_id);
DROP TABLE warehouses;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
