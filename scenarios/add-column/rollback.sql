ALTER TABLE customers DROP COLUMN nickname;
