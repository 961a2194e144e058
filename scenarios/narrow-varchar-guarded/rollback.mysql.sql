-- Refuse before changing anything when live names do not fit the old column: adding the check fails, naming it,
-- when any row violates it (whatever the session's sql_mode). Offending rows:
--   SELECT id, sku, name FROM products WHERE CHAR_LENGTH(name) > 80;
ALTER TABLE products ADD CONSTRAINT rollback_guard_name_fits_80 CHECK (CHAR_LENGTH(name) <= 80);
ALTER TABLE products DROP CONSTRAINT rollback_guard_name_fits_80;
ALTER TABLE products DROP COLUMN short_name;
ALTER TABLE products MODIFY name VARCHAR(80) NOT NULL;
