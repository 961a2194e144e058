-- Refuse before changing anything when live prices do not fit DECIMAL(10,2): adding the check fails, naming it,
-- when any row violates it. Offending rows:
--   SELECT id, invoice_id, unit_price FROM invoice_lines WHERE unit_price <> ROUND(unit_price, 2) OR ABS(unit_price) >= 100000000;
ALTER TABLE invoice_lines ADD CONSTRAINT rollback_guard_unit_price_fits_10_2
    CHECK (unit_price = ROUND(unit_price, 2) AND ABS(unit_price) < 100000000);
ALTER TABLE invoice_lines DROP CONSTRAINT rollback_guard_unit_price_fits_10_2;
ALTER TABLE invoice_lines MODIFY unit_price DECIMAL(10, 2) NOT NULL;
