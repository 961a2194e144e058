ALTER TABLE users ADD COLUMN phone VARCHAR(30) AFTER email;
UPDATE users u JOIN users_phone_archive p ON p.user_id = u.id SET u.phone = p.phone;
ALTER TABLE users MODIFY phone VARCHAR(30) NOT NULL;
DROP TABLE users_phone_archive;
