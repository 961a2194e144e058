ALTER TABLE products DROP COLUMN short_name;
ALTER TABLE products ALTER COLUMN name TYPE varchar(80);
