-- Views with their stored definition (qualified with the database name by the server), check option and security.
SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE
FROM information_schema.VIEWS
WHERE TABLE_SCHEMA = @db
ORDER BY TABLE_NAME
