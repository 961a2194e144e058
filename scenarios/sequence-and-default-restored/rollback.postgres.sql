-- Undo every change, including the ones that are not a column: defaults and sequence settings.
-- In one transaction: a failure half way leaves nothing applied.
BEGIN;
ALTER TABLE invoices DROP COLUMN vat_rate;
ALTER TABLE invoices ALTER COLUMN currency SET DEFAULT 'USD';
ALTER SEQUENCE invoice_number_seq INCREMENT BY 1;
COMMIT;
