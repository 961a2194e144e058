-- Every object of the main schema. Internal sqlite_% objects are filtered by the inspector, which needs to know
-- whether sqlite_sequence exists. table_kind is 'shadow' for the tables a virtual table keeps its data in
-- (fts5 docs_data, rtree geo_node, ...): those are implementation details and are not reported.
SELECT s.type, s.name, s.tbl_name, s.sql, coalesce(tl.type, '') AS table_kind
FROM sqlite_schema AS s
LEFT JOIN pragma_table_list AS tl ON s.type = 'table' AND tl.schema = 'main' AND tl.name = s.name
ORDER BY s.type, s.name;
