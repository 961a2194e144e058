-- Drop the stock check again: copy into a table without it and swap.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE products_old (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sku         VARCHAR(32) NOT NULL UNIQUE,
    name        VARCHAR(120) NOT NULL,
    stock       INTEGER NOT NULL DEFAULT 0,
    price       DECIMAL(10, 2) NOT NULL CHECK (price >= 0),
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO products_old SELECT * FROM products;
DROP TABLE products;
ALTER TABLE products_old RENAME TO products;
CREATE INDEX products_name_idx ON products (name);
CREATE TRIGGER products_touch AFTER UPDATE OF name, price, stock ON products
BEGIN
    UPDATE products SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
COMMIT;
PRAGMA foreign_keys = ON;
