-- Digital goods: orders without a shipping address, and a download link instead (SQLite: rebuild to drop NOT NULL).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE orders_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_email    VARCHAR(255) NOT NULL,
    shipping_address  VARCHAR(300),
    total             DECIMAL(10, 2) NOT NULL,
    created_at        TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    download_url      VARCHAR(500)
);
INSERT INTO orders_new (id, customer_email, shipping_address, total, created_at)
    SELECT id, customer_email, shipping_address, total, created_at FROM orders;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
COMMIT;
PRAGMA foreign_keys = ON;
