-- CHECK constraints (MariaDB: CHECK_CONSTRAINTS carries the table name; names are unique per table).
SELECT cc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS cc
WHERE cc.CONSTRAINT_SCHEMA = DATABASE() AND cc.TABLE_NAME <> @marker
ORDER BY cc.TABLE_NAME, cc.CONSTRAINT_NAME
