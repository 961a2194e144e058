ALTER TABLE customers ADD COLUMN first_name VARCHAR(100) AFTER email;
ALTER TABLE customers ADD COLUMN last_name VARCHAR(100) AFTER first_name;
UPDATE customers SET first_name = SUBSTRING_INDEX(full_name, ' ', 1), last_name = SUBSTRING_INDEX(full_name, ' ', -1);
ALTER TABLE customers MODIFY first_name VARCHAR(100) NOT NULL;
ALTER TABLE customers MODIFY last_name VARCHAR(100) NOT NULL;
ALTER TABLE customers DROP COLUMN full_name;
