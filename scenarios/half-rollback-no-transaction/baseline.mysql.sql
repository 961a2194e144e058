CREATE TABLE orders (
    id                BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer_email    VARCHAR(255) NOT NULL,
    shipping_address  VARCHAR(300) NOT NULL,
    total             DECIMAL(10, 2) NOT NULL,
    created_at        DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB;
