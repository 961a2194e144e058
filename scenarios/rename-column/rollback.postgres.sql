-- Fail fast instead of queueing every query on the table behind a lock wait; retry later.
SET lock_timeout = '5s';
ALTER TABLE customers RENAME COLUMN display_name TO full_name;
