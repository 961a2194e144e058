-- Shop schema before the migration (SQLite).
CREATE TABLE customers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email       VARCHAR(255) NOT NULL UNIQUE,
    full_name   VARCHAR(100) NOT NULL,
    country     CHAR(2),
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE orders (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    total        DECIMAL(10, 2) NOT NULL CHECK (total >= 0),
    note         TEXT
);

CREATE INDEX orders_customer_idx ON orders (customer_id);
