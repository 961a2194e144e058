-- User triggers (not the internal ones behind foreign keys) on relations in user schemas.
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       tg.tgname AS trigger_name,
       tg.tgtype::int AS trigger_type,
       tg.tgenabled::text AS enabled,
       pg_catalog.pg_get_triggerdef(tg.oid, true) AS definition
FROM pg_catalog.pg_trigger tg
JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT tg.tgisinternal
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname, tg.tgname;
