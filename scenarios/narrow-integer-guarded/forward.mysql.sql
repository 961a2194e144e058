-- The most-read articles are about to pass 2^31 views once embedded players count too.
ALTER TABLE articles MODIFY view_count BIGINT NOT NULL DEFAULT 0;
