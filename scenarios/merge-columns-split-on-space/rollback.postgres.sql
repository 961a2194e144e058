ALTER TABLE customers ADD COLUMN first_name varchar(100);
ALTER TABLE customers ADD COLUMN last_name varchar(100);
UPDATE customers SET first_name = split_part(full_name, ' ', 1), last_name = split_part(full_name, ' ', 2);
ALTER TABLE customers ALTER COLUMN first_name SET NOT NULL;
ALTER TABLE customers ALTER COLUMN last_name SET NOT NULL;
ALTER TABLE customers DROP COLUMN full_name;
