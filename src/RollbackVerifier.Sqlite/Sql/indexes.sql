-- Key columns of every index (automatic ones included: origin 'pk' / 'u' back constraints, 'c' is CREATE INDEX).
-- cid = -2 marks an expression key, whose text is read from the index's CREATE statement.
SELECT m.name AS table_name, il.name AS index_name, il."unique", il.origin, il.partial, s.sql,
       ix.seqno, ix.cid, ix.name AS column_name, ix."desc", ix.coll
FROM sqlite_schema AS m
JOIN pragma_index_list(m.name, 'main') AS il
JOIN pragma_index_xinfo(il.name, 'main') AS ix
LEFT JOIN sqlite_schema AS s ON s.type = 'index' AND s.name = il.name
WHERE m.type = 'table'
  AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%'
  AND ix.key = 1
ORDER BY m.name, il.name, ix.seqno;
