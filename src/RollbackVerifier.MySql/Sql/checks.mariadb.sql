-- CHECK constraints (MariaDB: CHECK_CONSTRAINTS carries the table and LEVEL; a column-level check is named after its
-- column, and JSON columns carry an implicit column-level json_valid() check; always enforced).
SELECT cc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, cc.LEVEL, 'YES' AS ENFORCED
FROM information_schema.CHECK_CONSTRAINTS cc
WHERE cc.CONSTRAINT_SCHEMA = @db AND cc.TABLE_NAME <> @marker
ORDER BY cc.TABLE_NAME, cc.CONSTRAINT_NAME
