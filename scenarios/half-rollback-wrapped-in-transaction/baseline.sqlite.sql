CREATE TABLE orders (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_email    VARCHAR(255) NOT NULL,
    shipping_address  VARCHAR(300) NOT NULL,
    total             DECIMAL(10, 2) NOT NULL,
    created_at        TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
