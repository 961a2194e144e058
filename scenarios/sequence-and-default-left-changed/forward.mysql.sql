-- EU launch: invoices default to euros and carry a VAT rate.
ALTER TABLE invoices ALTER COLUMN currency SET DEFAULT 'EUR';
ALTER TABLE invoices ADD COLUMN vat_rate DECIMAL(4, 2);
