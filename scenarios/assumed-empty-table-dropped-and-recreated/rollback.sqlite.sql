-- The table is new and nobody uses it yet: recreate it as it was.
DROP TABLE newsletter_subscriptions;
CREATE TABLE newsletter_subscriptions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    list           VARCHAR(40) NOT NULL,
    subscribed_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (user_id, list)
);
