-- Users who signed up since the migration have no phone: keep the column nullable rather than invent numbers.
-- One transaction: a failure changes nothing and the rollback can be retried.
BEGIN;
ALTER TABLE users ADD COLUMN phone VARCHAR(30);
UPDATE users SET phone = (SELECT p.phone FROM users_phone_archive p WHERE p.user_id = users.id);
DROP TABLE users_phone_archive;
COMMIT;
