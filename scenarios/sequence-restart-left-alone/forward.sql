-- The new billing system issues invoices from 100000 on, so support can tell them apart by number.
ALTER TABLE invoices ADD COLUMN billing_system varchar(20) NOT NULL DEFAULT 'v2';
ALTER TABLE invoices ALTER COLUMN id RESTART WITH 100000;
