-- Remember where each subscription came from (sign-up form, checkout, import).
ALTER TABLE newsletter_subscriptions ADD COLUMN source VARCHAR(30);
