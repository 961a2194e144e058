BEGIN;
ALTER TABLE orders DROP COLUMN download_url;
CREATE TABLE orders_old (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_email    VARCHAR(255) NOT NULL,
    shipping_address  VARCHAR(300) NOT NULL,
    total             DECIMAL(10, 2) NOT NULL,
    created_at        TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO orders_old (id, customer_email, shipping_address, total, created_at)
    SELECT id, customer_email, shipping_address, total, created_at FROM orders;
DROP TABLE orders;
ALTER TABLE orders_old RENAME TO orders;
COMMIT;
