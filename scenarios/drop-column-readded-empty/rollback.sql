-- Looks like the inverse, but every country value is gone.
ALTER TABLE customers ADD COLUMN country CHAR(2);
