-- Columns of the tables selected by tables.sql, with the type resolved through domains.
WITH RECURSIVE tables AS (
    SELECT c.oid
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%'
      AND n.nspname NOT LIKE 'pg\_temp\_%'
      AND NOT EXISTS (
          SELECT 1 FROM pg_catalog.pg_depend d
          WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
),
-- Walks domains down to their base type, keeping the first explicit type modifier met on the way.
base AS (
    SELECT t.oid AS type_oid, t.oid AS current_oid, t.typtypmod AS typmod, 0 AS depth
    FROM pg_catalog.pg_type t
    WHERE t.oid IN (SELECT a.atttypid FROM pg_catalog.pg_attribute a WHERE a.attrelid IN (SELECT oid FROM tables))
    UNION ALL
    SELECT b.type_oid, t.typbasetype, CASE WHEN b.typmod = -1 THEN t.typtypmod ELSE b.typmod END, b.depth + 1
    FROM base b
    JOIN pg_catalog.pg_type t ON t.oid = b.current_oid
    WHERE t.typtype = 'd' AND b.depth < 32
),
resolved AS (
    SELECT DISTINCT ON (b.type_oid) b.type_oid, b.current_oid AS base_oid, b.typmod AS domain_typmod
    FROM base b
    ORDER BY b.type_oid, b.depth DESC
)
SELECT a.attrelid::bigint AS table_oid,
       a.attnum::int AS attnum,
       a.attname AS column_name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS data_type,
       bt.typname AS base_type_name,
       bn.nspname AS base_type_schema,
       bt.typtype::text AS base_type_kind,
       bt.typcategory::text AS base_type_category,
       CASE WHEN a.atttypmod <> -1 THEN a.atttypmod ELSE r.domain_typmod END AS type_modifier,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity_kind,
       a.attgenerated::text AS generated_kind,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_expression,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
           CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
       END AS collation_name,
       CASE WHEN bt.typtype = 'e' THEN
           ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = bt.oid ORDER BY e.enumsortorder)
       END AS enum_labels,
       EXISTS (
           SELECT 1
           FROM pg_catalog.pg_depend d
           JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
           WHERE d.classid = 'pg_catalog.pg_class'::regclass
             AND d.refclassid = 'pg_catalog.pg_class'::regclass
             AND d.refobjid = a.attrelid
             AND d.refobjsubid = a.attnum
             AND d.deptype = 'a'
             AND pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) LIKE 'nextval(%'
       ) AS is_serial,
       pg_catalog.row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)::int AS position
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN resolved r ON r.type_oid = a.atttypid
JOIN pg_catalog.pg_type bt ON bt.oid = r.base_oid
JOIN pg_catalog.pg_namespace bn ON bn.oid = bt.typnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attrelid IN (SELECT oid FROM tables)
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum;
