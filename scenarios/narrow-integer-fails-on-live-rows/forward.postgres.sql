-- The most-read articles are about to pass 2^31 views once embedded players count too.
ALTER TABLE articles ALTER COLUMN view_count TYPE bigint;
