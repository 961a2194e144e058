-- Drop the stock check again: copy into a table without it and swap.
CREATE TABLE products_old (
    id          INTEGER PRIMARY KEY,
    sku         VARCHAR(32) NOT NULL,
    name        VARCHAR(120) NOT NULL,
    price       DECIMAL(10, 2) NOT NULL,
    stock       INTEGER NOT NULL DEFAULT 0,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO products_old (id, sku, name, price, stock, updated_at)
    SELECT id, sku, name, price, stock, updated_at FROM products;
DROP TABLE products;
ALTER TABLE products_old RENAME TO products;
