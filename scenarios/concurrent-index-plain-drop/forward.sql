-- The orders list filters by customer and sorts by total; built without blocking writes to orders.
CREATE INDEX CONCURRENTLY orders_customer_total_idx ON orders (customer_id, total);
