CREATE TABLE customers_backup AS SELECT * FROM customers;
ALTER TABLE customers ADD COLUMN nickname VARCHAR(50);
