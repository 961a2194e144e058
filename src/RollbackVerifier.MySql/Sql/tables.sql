-- Tables and MariaDB sequences of the database with their AUTO_INCREMENT counter.
-- MariaDB: live. MySQL 8: cached unless the session sets information_schema_stats_expiry = 0 (MySqlInstance does).
-- MariaDB reports system-versioned tables as 'SYSTEM VERSIONED' and sequences as 'SEQUENCE'; MySQL 8 has neither.
SELECT TABLE_NAME, TABLE_TYPE, AUTO_INCREMENT
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = @db AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED', 'SEQUENCE') AND TABLE_NAME <> @marker
ORDER BY TABLE_NAME
