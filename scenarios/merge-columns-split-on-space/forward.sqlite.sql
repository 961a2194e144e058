-- One name field: the new sign-up form asks for "your name" only.
ALTER TABLE customers ADD COLUMN full_name VARCHAR(201) NOT NULL DEFAULT '';
UPDATE customers SET full_name = first_name || ' ' || last_name;
ALTER TABLE customers DROP COLUMN first_name;
ALTER TABLE customers DROP COLUMN last_name;
