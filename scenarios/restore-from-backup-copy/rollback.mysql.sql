SET FOREIGN_KEY_CHECKS = 0;
DROP TABLE customers;
-- InnoDB refuses the rename while orders' foreign key points at a table without a key on id.
ALTER TABLE customers_backup ADD PRIMARY KEY (id);
RENAME TABLE customers_backup TO customers;
SET FOREIGN_KEY_CHECKS = 1;
