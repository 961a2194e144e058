-- Indexes of the user tables, except those that back a primary key or unique constraint. Indexes backing an
-- exclusion constraint are included, with the constraint's operators, since the model has no exclusion constraint.
SELECT i.indrelid::bigint AS table_oid,
       ic.relname AS index_name,
       ARRAY(
           SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
           FROM pg_catalog.generate_series(1, i.indnkeyatts) AS k
           ORDER BY k) AS key_expressions,
       ARRAY(
           SELECT i.indkey[k - 1] = 0
           FROM pg_catalog.generate_series(1, i.indnkeyatts) AS k
           ORDER BY k) AS key_is_expression,
       ARRAY(
           SELECT (i.indoption[k - 1] & 1) <> 0
           FROM pg_catalog.generate_series(1, i.indnkeyatts) AS k
           ORDER BY k) AS key_descending,
       ARRAY(
           SELECT (i.indoption[k - 1] & 2) <> 0
           FROM pg_catalog.generate_series(1, i.indnkeyatts) AS k
           ORDER BY k) AS key_nulls_first,
       ARRAY(
           SELECT CASE
                      WHEN i.indcollation[k - 1] = 0 THEN NULL
                      WHEN i.indkey[k - 1] <> 0 AND i.indcollation[k - 1] = (
                          SELECT a.attcollation FROM pg_catalog.pg_attribute a
                          WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]) THEN NULL
                      WHEN i.indkey[k - 1] = 0 AND i.indcollation[k - 1] = 100 THEN NULL
                      ELSE (
                          SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                                      ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
                          FROM pg_catalog.pg_collation co
                          JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                          WHERE co.oid = i.indcollation[k - 1])
                  END
           FROM pg_catalog.generate_series(1, i.indnkeyatts) AS k
           ORDER BY k) AS key_collations,
       ARRAY(
           SELECT a.attname::text
           FROM pg_catalog.generate_series(i.indnkeyatts + 1, i.indnatts) AS k
           JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]
           ORDER BY k) AS included_columns,
       ARRAY(
           SELECT o.oprname::text
           FROM pg_catalog.unnest(xc.conexclop) WITH ORDINALITY AS u(op, ord)
           JOIN pg_catalog.pg_operator o ON o.oid = u.op
           ORDER BY u.ord) AS exclusion_operators,
       i.indisunique AS is_unique,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       am.amname AS method,
       i.indisvalid AS is_valid,
       CASE WHEN xc.oid IS NOT NULL
            THEN 'ALTER TABLE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
                 || ' ADD CONSTRAINT ' || pg_catalog.quote_ident(xc.conname) || ' ' || pg_catalog.pg_get_constraintdef(xc.oid, true)
            ELSE pg_catalog.pg_get_indexdef(i.indexrelid)
       END AS definition
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_constraint xc ON xc.conindid = i.indexrelid AND xc.conrelid = i.indrelid AND xc.contype = 'x'
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_constraint pc
      WHERE pc.conindid = i.indexrelid AND pc.conrelid = i.indrelid AND pc.contype IN ('p', 'u'))
ORDER BY i.indrelid, ic.relname;
