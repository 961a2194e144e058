ALTER TABLE users ADD COLUMN phone varchar(30);
UPDATE users SET phone = p.phone FROM users_phone_archive p WHERE p.user_id = users.id;
ALTER TABLE users ALTER COLUMN phone SET NOT NULL;
DROP TABLE users_phone_archive;
