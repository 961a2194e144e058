-- One name field: the new sign-up form asks for "your name" only. The split the merge destroys is archived,
-- keyed by customer, until the rollback window has passed; the application never writes to the archive.
CREATE TABLE customers_name_archive (id INT PRIMARY KEY, first_name VARCHAR(100) NOT NULL, last_name VARCHAR(100) NOT NULL) ENGINE = InnoDB;
INSERT INTO customers_name_archive (id, first_name, last_name) SELECT id, first_name, last_name FROM customers;
ALTER TABLE customers ADD COLUMN full_name VARCHAR(201);
UPDATE customers SET full_name = CONCAT(first_name, ' ', last_name);
ALTER TABLE customers MODIFY full_name VARCHAR(201) NOT NULL;
ALTER TABLE customers DROP COLUMN first_name;
ALTER TABLE customers DROP COLUMN last_name;
