-- Runs as one transaction: either every customer has both parts again, or nothing changed.
-- Fail fast instead of queueing every query on the table behind a lock wait; retry later.
SET lock_timeout = '5s';
BEGIN;
ALTER TABLE customers ADD COLUMN first_name varchar(100);
ALTER TABLE customers ADD COLUMN last_name varchar(100);
-- Every customer that existed before the migration gets the exact original parts back.
UPDATE customers c SET first_name = a.first_name, last_name = a.last_name
  FROM customers_name_archive a
 WHERE a.id = c.id;
-- Customers created since never had a split: the last word becomes the family name. A part longer than the old
-- columns hold (a name the old sign-up form could not take) is cut to fit.
UPDATE customers
   SET first_name = left(coalesce(nullif(regexp_replace(full_name, '\s+\S+$', ''), ''), full_name), 100),
       last_name  = left(coalesce(substring(full_name from '\s(\S+)$'), ''), 100)
 WHERE first_name IS NULL;
ALTER TABLE customers ALTER COLUMN first_name SET NOT NULL;
ALTER TABLE customers ALTER COLUMN last_name SET NOT NULL;
ALTER TABLE customers DROP COLUMN full_name;
DROP TABLE customers_name_archive;
COMMIT;
