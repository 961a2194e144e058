ALTER TABLE articles ALTER COLUMN view_count TYPE integer;
