CREATE TABLE products (
    id          INT AUTO_INCREMENT PRIMARY KEY,
    sku         VARCHAR(32) NOT NULL UNIQUE,
    name        VARCHAR(80) NOT NULL,
    price       DECIMAL(10, 2) NOT NULL CHECK (price >= 0),
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB;
