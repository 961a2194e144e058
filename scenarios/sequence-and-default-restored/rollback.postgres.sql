-- Undo every change, including the ones that are not a column: defaults and sequence settings.
-- One transaction: a failure changes nothing and the rollback can be retried.
-- Fail fast instead of queueing every query on the table behind a lock wait; retry later.
SET lock_timeout = '5s';
BEGIN;
ALTER TABLE invoices DROP COLUMN vat_rate;
ALTER TABLE invoices ALTER COLUMN currency SET DEFAULT 'USD';
ALTER SEQUENCE invoice_number_seq INCREMENT BY 1;
COMMIT;
