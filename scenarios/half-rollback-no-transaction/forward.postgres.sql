-- Digital goods: orders without a shipping address, and a download link instead.
ALTER TABLE orders ADD COLUMN download_url varchar(500);
ALTER TABLE orders ALTER COLUMN shipping_address DROP NOT NULL;
