-- Views and materialized views in user schemas. A materialized view's indexes have no place of their own in the
-- model, so their definitions are returned alongside and appended to its definition.
SELECT n.nspname AS schema_name,
       c.relname AS view_name,
       c.relkind = 'm' AS is_materialized,
       pg_catalog.pg_get_viewdef(c.oid, true) AS definition,
       ARRAY(
           SELECT pg_catalog.pg_get_indexdef(i.indexrelid)
           FROM pg_catalog.pg_index i
           WHERE i.indrelid = c.oid
           ORDER BY 1) AS index_definitions
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname;
