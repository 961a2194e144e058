CREATE TABLE invoices (
    id          INT AUTO_INCREMENT PRIMARY KEY,
    number      BIGINT NOT NULL UNIQUE,
    currency    CHAR(3) NOT NULL DEFAULT 'USD',
    status      VARCHAR(20) NOT NULL DEFAULT 'draft',
    total       DECIMAL(12, 2) NOT NULL,
    issued_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB;
