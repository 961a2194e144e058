ALTER TABLE orders DROP COLUMN download_url;
ALTER TABLE orders MODIFY shipping_address VARCHAR(300) NOT NULL;
