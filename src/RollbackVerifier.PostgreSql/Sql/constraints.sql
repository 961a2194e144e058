-- Primary key, unique, foreign key and check constraints of the user tables (exclusion constraints are read with
-- the indexes, NOT NULL is a column property). The two placeholders in double braces are filled in by server version
-- (conenforced exists from PostgreSQL 18, indnullsnotdistinct from 15).
SELECT con.conrelid::bigint AS table_oid,
       con.conname AS constraint_name,
       con.contype::text AS constraint_type,
       ARRAY(
           SELECT a.attname::text
           FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
           ORDER BY k.ord) AS columns,
       rn.nspname AS referenced_schema,
       rc.relname AS referenced_table,
       ARRAY(
           SELECT a.attname::text
           FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
           ORDER BY k.ord) AS referenced_columns,
       con.confdeltype::text AS on_delete,
       con.confupdtype::text AS on_update,
       con.condeferrable AS is_deferrable,
       con.condeferred AS is_initially_deferred,
       con.convalidated AS is_validated,
       CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid, true) END AS check_expression,
       COALESCE({{nulls_not_distinct}}, false) AS nulls_not_distinct,
       {{enforced}} AS is_enforced
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_catalog.pg_index ix ON con.contype = 'u' AND ix.indexrelid = con.conindid
WHERE con.contype IN ('p', 'u', 'f', 'c')
  AND c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY con.conrelid, con.conname;
