-- The index is not recreated.
SELECT 1;
