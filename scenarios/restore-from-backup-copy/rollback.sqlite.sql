PRAGMA foreign_keys = OFF;
DROP TABLE customers;
ALTER TABLE customers_backup RENAME TO customers;
PRAGMA foreign_keys = ON;
