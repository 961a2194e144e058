-- Undo every change, including the one that is not a column: the default.
ALTER TABLE invoices DROP COLUMN vat_rate;
ALTER TABLE invoices ALTER COLUMN currency SET DEFAULT 'USD';
