-- Usage-based billing: API calls are priced in fractions of a cent.
ALTER TABLE invoice_lines MODIFY unit_price DECIMAL(12, 4) NOT NULL;
