-- Phone verification is gone and sign-up no longer asks for a number. Keep the numbers the drop destroys,
-- keyed by user, so the rollback can bring them back; the application never writes to the archive.
CREATE TABLE users_phone_archive (user_id INT PRIMARY KEY, phone VARCHAR(30));
INSERT INTO users_phone_archive (user_id, phone) SELECT id, phone FROM users;
ALTER TABLE users DROP COLUMN phone;
