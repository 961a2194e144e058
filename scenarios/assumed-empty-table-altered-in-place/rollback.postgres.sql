-- Undo exactly what the forward did; never assume a table is empty.
-- Fail fast instead of queueing every query on the table behind a lock wait; retry later.
SET lock_timeout = '5s';
ALTER TABLE newsletter_subscriptions DROP COLUMN source;
