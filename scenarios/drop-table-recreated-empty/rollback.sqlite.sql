CREATE TABLE orders (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    total        DECIMAL(10, 2) NOT NULL CHECK (total >= 0),
    note         TEXT
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
