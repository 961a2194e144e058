CREATE TABLE articles (
    id          INT AUTO_INCREMENT PRIMARY KEY,
    slug        VARCHAR(120) NOT NULL UNIQUE,
    title       VARCHAR(200) NOT NULL,
    view_count  INT NOT NULL DEFAULT 0,
    published_at DATETIME
) ENGINE = InnoDB;
