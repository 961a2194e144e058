-- Users who signed up since the migration have no phone: keep the column nullable rather than invent numbers.
ALTER TABLE users ADD COLUMN phone VARCHAR(30) AFTER email;
UPDATE users u JOIN users_phone_archive p ON p.user_id = u.id SET u.phone = p.phone;
DROP TABLE users_phone_archive;
