-- SQLite cannot add NOT NULL to a column: rebuild the table with the phone joined back in.
CREATE TABLE users_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email       VARCHAR(255) NOT NULL UNIQUE,
    phone       VARCHAR(30) NOT NULL,
    full_name   VARCHAR(100) NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO users_new (id, email, phone, full_name, created_at)
    SELECT u.id, u.email, p.phone, u.full_name, u.created_at FROM users u LEFT JOIN users_phone_archive p ON p.user_id = u.id;
DROP TABLE users_phone_archive;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
