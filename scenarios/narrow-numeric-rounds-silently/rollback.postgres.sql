ALTER TABLE invoice_lines ALTER COLUMN unit_price TYPE numeric(10, 2);
