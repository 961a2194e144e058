ALTER TABLE invoice_lines MODIFY unit_price DECIMAL(10, 2) NOT NULL;
