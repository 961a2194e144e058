-- Wire format of each column of one table for COPY: the receive function of the column's base type (domains
-- resolved). $1 is the quoted, schema-qualified table name. Types without a receive function give NULL.
WITH RECURSIVE chain AS (
    SELECT a.attname::text AS column_name, a.atttypid AS type_oid, 0 AS depth
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = $1::regclass
      AND a.attnum > 0
      AND NOT a.attisdropped
    UNION ALL
    SELECT c.column_name, t.typbasetype, c.depth + 1
    FROM chain c
    JOIN pg_catalog.pg_type t ON t.oid = c.type_oid
    WHERE t.typtype = 'd' AND c.depth < 32
)
SELECT DISTINCT ON (c.column_name) c.column_name, p.proname::text AS receive_function
FROM chain c
JOIN pg_catalog.pg_type t ON t.oid = c.type_oid
LEFT JOIN pg_catalog.pg_proc p ON p.oid = t.typreceive
ORDER BY c.column_name, c.depth DESC;
