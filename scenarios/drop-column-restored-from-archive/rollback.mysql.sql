-- Customers created since the migration have no archived country: they get NULL, as the column allows.
-- AFTER puts the column back in its old place (SELECT * and positional INSERTs keep working).
ALTER TABLE customers ADD COLUMN country CHAR(2) AFTER full_name;
UPDATE customers c JOIN customers_country_archive a ON a.id = c.id SET c.country = a.country;
DROP TABLE customers_country_archive;
