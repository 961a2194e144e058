ALTER TABLE invoices DROP COLUMN vat_rate;
