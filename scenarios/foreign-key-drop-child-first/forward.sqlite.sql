-- Orders ship from warehouses: a new parent table, and orders point at it.
CREATE TABLE warehouses (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    code  VARCHAR(10) NOT NULL UNIQUE,
    city  VARCHAR(100) NOT NULL
);
ALTER TABLE orders ADD COLUMN warehouse_id INTEGER REFERENCES warehouses (id);
