-- The new supplier feed has product names longer than 80 characters; listings get a short name of their own.
ALTER TABLE products ALTER COLUMN name TYPE text;
ALTER TABLE products ADD COLUMN short_name varchar(40);
