-- Users who signed up since the migration have no phone: keep the column nullable rather than invent numbers.
-- In one transaction: a failure half way leaves nothing applied.
BEGIN;
ALTER TABLE users ADD COLUMN phone varchar(30);
UPDATE users SET phone = p.phone FROM users_phone_archive p WHERE p.user_id = users.id;
DROP TABLE users_phone_archive;
COMMIT;
