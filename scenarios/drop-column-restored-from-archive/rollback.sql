-- Customers created since the migration have no archived country: they get NULL, as the column allows.
-- One transaction: a failure changes nothing and the rollback can be retried.
BEGIN;
ALTER TABLE customers ADD COLUMN country CHAR(2);
UPDATE customers
   SET country = (SELECT a.country FROM customers_country_archive a WHERE a.id = customers.id);
DROP TABLE customers_country_archive;
COMMIT;
