-- MySQL needs an index on a foreign key's columns; replace it with a wider one first.
CREATE INDEX orders_customer_total_idx ON orders (customer_id, total);
DROP INDEX orders_customer_idx ON orders;
