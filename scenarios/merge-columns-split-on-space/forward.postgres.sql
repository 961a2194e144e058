-- One name field: the new sign-up form asks for "your name" only.
ALTER TABLE customers ADD COLUMN full_name varchar(201);
UPDATE customers SET full_name = first_name || ' ' || last_name;
ALTER TABLE customers ALTER COLUMN full_name SET NOT NULL;
ALTER TABLE customers DROP COLUMN first_name;
ALTER TABLE customers DROP COLUMN last_name;
