-- Columns of all ordinary tables, hidden (generated) ones included: hidden = 2 virtual, 3 stored generated column.
-- Virtual tables are read one by one (virtual_table_columns.sql): their module may be missing.
SELECT m.name AS table_name, c.cid, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
FROM sqlite_schema AS m
JOIN pragma_table_xinfo(m.name, 'main') AS c
WHERE m.type = 'table'
  AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%'
ORDER BY m.name, c.cid;
