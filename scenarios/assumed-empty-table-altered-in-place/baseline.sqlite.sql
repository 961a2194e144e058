CREATE TABLE users (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email       VARCHAR(255) NOT NULL UNIQUE
);

-- Created in last sprint's migration; in the rollback author's mind it is still empty.
CREATE TABLE newsletter_subscriptions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    list           VARCHAR(40) NOT NULL,
    subscribed_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (user_id, list)
);
