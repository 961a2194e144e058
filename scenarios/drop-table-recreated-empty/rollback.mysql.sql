CREATE TABLE orders (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer_id  INT NOT NULL,
    total        DECIMAL(10, 2) NOT NULL CHECK (total >= 0),
    note         TEXT,
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
) ENGINE = InnoDB;
CREATE INDEX orders_customer_idx ON orders (customer_id);
