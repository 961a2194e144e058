CREATE TABLE users (
    id          INT AUTO_INCREMENT PRIMARY KEY,
    email       VARCHAR(255) NOT NULL UNIQUE
) ENGINE = InnoDB;

-- Created in last sprint's migration; in the rollback author's mind it is still empty.
CREATE TABLE newsletter_subscriptions (
    id             INT AUTO_INCREMENT PRIMARY KEY,
    user_id        INT NOT NULL,
    list           VARCHAR(40) NOT NULL,
    subscribed_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY newsletter_subscriptions_user_list (user_id, list),
    CONSTRAINT newsletter_subscriptions_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;
