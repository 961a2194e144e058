-- The new supplier feed has product names longer than 80 characters; listings get a short name of their own.
ALTER TABLE products MODIFY name TEXT NOT NULL;
ALTER TABLE products ADD COLUMN short_name VARCHAR(40);
