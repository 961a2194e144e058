-- Digital goods: orders without a shipping address, and a download link instead.
ALTER TABLE orders ADD COLUMN download_url VARCHAR(500);
ALTER TABLE orders MODIFY shipping_address VARCHAR(300) NULL;
