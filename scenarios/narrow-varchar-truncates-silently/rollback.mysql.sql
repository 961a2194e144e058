-- The legacy admin tool connects with an empty sql_mode, as many older MySQL applications do.
SET SESSION sql_mode = '';
ALTER TABLE products DROP COLUMN short_name;
ALTER TABLE products MODIFY name VARCHAR(80) NOT NULL;
