-- Orders ship from warehouses: a new parent table, and orders point at it.
CREATE TABLE warehouses (
    id    INT AUTO_INCREMENT PRIMARY KEY,
    code  VARCHAR(10) NOT NULL UNIQUE,
    city  VARCHAR(100) NOT NULL
) ENGINE = InnoDB;
ALTER TABLE orders ADD COLUMN warehouse_id INT,
    ADD CONSTRAINT orders_warehouse_fk FOREIGN KEY (warehouse_id) REFERENCES warehouses (id);
