-- Undo exactly what the forward did; never assume a table is empty.
ALTER TABLE newsletter_subscriptions DROP COLUMN source;
