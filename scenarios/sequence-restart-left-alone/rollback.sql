-- Fail fast instead of queueing every query on the table behind a lock wait; retry later.
SET lock_timeout = '5s';
ALTER TABLE invoices DROP COLUMN billing_system;
-- The id sequence stays where it is: ids handed out since are in use, and a gap costs nothing.
