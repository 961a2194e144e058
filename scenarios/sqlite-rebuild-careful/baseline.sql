CREATE TABLE products (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sku         VARCHAR(32) NOT NULL UNIQUE,
    name        VARCHAR(120) NOT NULL,
    price       DECIMAL(10, 2) NOT NULL CHECK (price >= 0),
    stock       INTEGER NOT NULL DEFAULT 0,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX products_name_idx ON products (name);
CREATE TRIGGER products_touch AFTER UPDATE OF name, price, stock ON products
BEGIN
    UPDATE products SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

CREATE TABLE order_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id  INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity    INTEGER NOT NULL CHECK (quantity > 0)
);
CREATE INDEX order_items_product_idx ON order_items (product_id);
