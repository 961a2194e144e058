-- Columns of one virtual table.
SELECT cid, name, type, "notnull", dflt_value, pk, hidden
FROM pragma_table_xinfo(@table, 'main')
ORDER BY cid;
