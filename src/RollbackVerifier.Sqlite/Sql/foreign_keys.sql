-- Foreign keys of every table, one row per column pair; "to" is NULL when the key references the parent's primary key.
SELECT m.name AS table_name, fk.id, fk.seq, fk."table" AS referenced_table, fk."from", fk."to", fk.on_update, fk.on_delete
FROM sqlite_schema AS m
JOIN pragma_foreign_key_list(m.name, 'main') AS fk
WHERE m.type = 'table'
  AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%'
ORDER BY m.name, fk.id, fk.seq;
