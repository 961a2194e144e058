-- Like the forward: no lock that blocks reads or writes, outside any transaction.
DROP INDEX CONCURRENTLY IF EXISTS orders_customer_total_idx;
