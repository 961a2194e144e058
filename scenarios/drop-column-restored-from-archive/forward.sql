-- Country moves to the billing service. Keep the values the drop destroys, keyed by customer, so the rollback
-- can bring them back; the application never writes to the archive.
CREATE TABLE customers_country_archive (id INT PRIMARY KEY, country CHAR(2));
INSERT INTO customers_country_archive (id, country) SELECT id, country FROM customers;
ALTER TABLE customers DROP COLUMN country;
