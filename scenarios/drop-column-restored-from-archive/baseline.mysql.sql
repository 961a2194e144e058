-- Shop schema before the migration (MySQL / MariaDB).
CREATE TABLE customers (
    id          INT AUTO_INCREMENT PRIMARY KEY,
    email       VARCHAR(255) NOT NULL UNIQUE,
    full_name   VARCHAR(100) NOT NULL,
    country     CHAR(2),
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB;

CREATE TABLE orders (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer_id  INT NOT NULL,
    total        DECIMAL(10, 2) NOT NULL CHECK (total >= 0),
    note         TEXT,
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE INDEX orders_customer_idx ON orders (customer_id);
