-- AUTOINCREMENT counters; only run when sqlite_sequence exists.
SELECT name, seq
FROM sqlite_sequence
ORDER BY name;
