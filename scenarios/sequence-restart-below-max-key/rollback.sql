ALTER TABLE invoices DROP COLUMN billing_system;
-- Back to where the sequence was on staging when this migration was written.
ALTER TABLE invoices ALTER COLUMN id RESTART WITH 1001;
