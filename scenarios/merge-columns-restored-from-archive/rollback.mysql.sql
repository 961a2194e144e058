ALTER TABLE customers ADD COLUMN first_name VARCHAR(100) AFTER email, ADD COLUMN last_name VARCHAR(100) AFTER first_name;
-- Every customer that existed before the migration gets the exact original parts back.
UPDATE customers c JOIN customers_name_archive a ON a.id = c.id
   SET c.first_name = a.first_name, c.last_name = a.last_name;
-- Customers created since never had a split: the last word becomes the family name. A part longer than the old
-- columns hold (a name the old sign-up form could not take) is cut to fit.
UPDATE customers
   SET first_name = LEFT(IF(LOCATE(' ', full_name) > 0, LEFT(full_name, CHAR_LENGTH(full_name) - CHAR_LENGTH(SUBSTRING_INDEX(full_name, ' ', -1)) - 1), full_name), 100),
       last_name  = LEFT(IF(LOCATE(' ', full_name) > 0, SUBSTRING_INDEX(full_name, ' ', -1), ''), 100)
 WHERE first_name IS NULL;
ALTER TABLE customers MODIFY first_name VARCHAR(100) NOT NULL, MODIFY last_name VARCHAR(100) NOT NULL, DROP COLUMN full_name;
DROP TABLE customers_name_archive;
