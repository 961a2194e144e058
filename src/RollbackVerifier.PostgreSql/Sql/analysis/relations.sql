-- Relations of user schemas with what the lock observer reports about them: the name, the kind, the storage file (a
-- changed relfilenode means new storage: a rewrite) and the table each one belongs to (the indexed table, the owner of a
-- sequence). $1: relation OIDs to restrict to, or NULL for all.
SELECT c.oid::bigint AS oid,
       n.nspname AS schema_name,
       c.relname AS relation_name,
       c.relkind::text AS kind,
       c.relfilenode::bigint AS file_node,
       tn.nspname AS table_schema,
       t.relname AS table_name
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
LEFT JOIN pg_catalog.pg_depend d
       ON c.relkind = 'S' AND d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
      AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_catalog.pg_class t ON t.oid = COALESCE(i.indrelid, d.refobjid)
LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND ($1::oid[] IS NULL OR c.oid = ANY ($1::oid[]));
