-- EU launch: invoices default to euros and carry a VAT rate; invoice numbers step by 10 so that the last digit
-- can name the issuing region.
ALTER TABLE invoices ALTER COLUMN currency SET DEFAULT 'EUR';
ALTER TABLE invoices ADD COLUMN vat_rate numeric(4, 2);
ALTER SEQUENCE invoice_number_seq INCREMENT BY 10;
