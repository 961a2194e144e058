-- Relation locks granted to a backend in the current database, user relations only (OIDs below 16384 are the
-- system's). $1: the backend's pid.
SELECT l.relation::bigint AS oid, l.mode
FROM pg_catalog.pg_locks l
WHERE l.pid = $1
  AND l.locktype = 'relation'
  AND l.granted
  AND l.relation >= 16384
  AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database());
