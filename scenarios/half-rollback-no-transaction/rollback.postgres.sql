ALTER TABLE orders DROP COLUMN download_url;
ALTER TABLE orders ALTER COLUMN shipping_address SET NOT NULL;
