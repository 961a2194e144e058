-- Stock may no longer go negative. SQLite cannot add a constraint to a table: rebuild it the documented way
-- (foreign keys off around the swap, indexes and triggers re-created, foreign keys checked before committing).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE products_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sku         VARCHAR(32) NOT NULL UNIQUE,
    name        VARCHAR(120) NOT NULL,
    price       DECIMAL(10, 2) NOT NULL CHECK (price >= 0),
    stock       INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO products_new (id, sku, name, price, stock, updated_at)
    SELECT id, sku, name, price, max(stock, 0), updated_at FROM products;
DROP TABLE products;
ALTER TABLE products_new RENAME TO products;
CREATE INDEX products_name_idx ON products (name);
CREATE TRIGGER products_touch AFTER UPDATE OF name, price, stock ON products
BEGIN
    UPDATE products SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
