DROP TABLE customers CASCADE;
ALTER TABLE customers_backup RENAME TO customers;
