-- Customers created since the migration have no archived country: they get NULL, as the column allows.
-- In one transaction: a failure half way leaves nothing applied.
BEGIN;
ALTER TABLE customers ADD COLUMN country CHAR(2);
UPDATE customers
   SET country = (SELECT a.country FROM customers_country_archive a WHERE a.id = customers.id);
DROP TABLE customers_country_archive;
COMMIT;
