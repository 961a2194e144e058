-- TODO: write the rollback
SELECT 1;
