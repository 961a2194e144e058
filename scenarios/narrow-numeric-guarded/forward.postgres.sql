-- Usage-based billing: API calls are priced in fractions of a cent.
ALTER TABLE invoice_lines ALTER COLUMN unit_price TYPE numeric(12, 4);
