-- What the current transaction has done to each user table so far (not yet flushed to the cumulative statistics):
-- rows read by sequential scans and index fetches, rows inserted, updated and deleted.
SELECT s.relid::bigint AS oid,
       COALESCE(s.seq_tup_read, 0) + COALESCE(s.idx_tup_fetch, 0) AS rows_read,
       s.n_tup_ins + s.n_tup_upd + s.n_tup_del AS rows_written
FROM pg_catalog.pg_stat_xact_user_tables s;
