-- Columns of the tables of the database, in table and position order, with the database's default collation
-- (a column collation is reported only when it differs from it).
SELECT c.TABLE_NAME, c.COLUMN_NAME, c.ORDINAL_POSITION, c.COLUMN_TYPE, c.DATA_TYPE,
       c.CHARACTER_MAXIMUM_LENGTH, c.NUMERIC_PRECISION, c.NUMERIC_SCALE, c.DATETIME_PRECISION,
       c.IS_NULLABLE, c.COLUMN_DEFAULT, c.EXTRA, c.GENERATION_EXPRESSION, c.COLLATION_NAME,
       (SELECT s.DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA s WHERE s.SCHEMA_NAME = @db) AS DATABASE_COLLATION
FROM information_schema.COLUMNS c
JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
WHERE c.TABLE_SCHEMA = @db AND t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') AND c.TABLE_NAME <> @marker
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION
