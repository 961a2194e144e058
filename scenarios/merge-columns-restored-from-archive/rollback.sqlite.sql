-- Rebuild (SQLite cannot add NOT NULL columns without a default), in one transaction.
BEGIN;
CREATE TABLE customers_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email       VARCHAR(255) NOT NULL UNIQUE,
    first_name  VARCHAR(100) NOT NULL,
    last_name   VARCHAR(100) NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Every customer that existed before the migration gets the exact original parts back; customers created since
-- never had a split, and theirs is made at the first space (each part cut to the old 100 characters).
INSERT INTO customers_new (id, email, first_name, last_name, created_at)
SELECT c.id, c.email,
       coalesce(a.first_name, substr(CASE WHEN instr(c.full_name, ' ') > 0 THEN substr(c.full_name, 1, instr(c.full_name, ' ') - 1) ELSE c.full_name END, 1, 100)),
       coalesce(a.last_name, substr(CASE WHEN instr(c.full_name, ' ') > 0 THEN substr(c.full_name, instr(c.full_name, ' ') + 1) ELSE '' END, 1, 100)),
       c.created_at
  FROM customers c
  LEFT JOIN customers_name_archive a ON a.id = c.id;
DROP TABLE customers;
ALTER TABLE customers_new RENAME TO customers;
DROP TABLE customers_name_archive;
COMMIT;
