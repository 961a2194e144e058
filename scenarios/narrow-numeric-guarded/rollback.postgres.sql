-- Refuse before changing anything when live prices do not fit two decimals, and say which rows to fix.
-- Fail fast instead of queueing every query on the table behind a lock wait; retry later.
SET lock_timeout = '5s';
DO $$
DECLARE
    sub_cent bigint;
BEGIN
    SELECT count(*) INTO sub_cent FROM invoice_lines WHERE unit_price <> round(unit_price, 2) OR abs(unit_price) >= 100000000;
    IF sub_cent > 0 THEN
        RAISE EXCEPTION 'rollback refused: % invoice lines have prices that numeric(10,2) cannot hold', sub_cent
            USING HINT = 'SELECT id, invoice_id, unit_price FROM invoice_lines WHERE unit_price <> round(unit_price, 2) OR abs(unit_price) >= 100000000';
    END IF;
END
$$;
ALTER TABLE invoice_lines ALTER COLUMN unit_price TYPE numeric(10, 2);
