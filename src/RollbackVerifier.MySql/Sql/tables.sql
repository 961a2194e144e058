-- Base tables with their AUTO_INCREMENT counter (live on MariaDB; MySQL 8 needs information_schema_stats_expiry = 0).
SELECT TABLE_NAME, AUTO_INCREMENT
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME <> @marker
ORDER BY TABLE_NAME
