ALTER TABLE invoices DROP COLUMN billing_system;
-- The id sequence stays where it is: ids handed out since are in use, and a gap costs nothing.
