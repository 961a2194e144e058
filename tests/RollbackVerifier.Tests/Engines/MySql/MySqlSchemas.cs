namespace RollbackVerifier.Tests.Engines.MySql;

/// <summary>Scripts for the MySQL conformance tests (statements split by the engine's own splitter).</summary>
internal static class MySqlSchemas
{
    /// <summary>
    /// Every object kind MySQL 8 and MariaDB share: many column types, literal / expression / ON UPDATE defaults,
    /// AUTO_INCREMENT, virtual and stored generated columns, a non-default collation, ENUM and SET, composite keys,
    /// foreign keys with actions, unique keys (whole-column and prefix), named, unnamed and column-level checks, indexes
    /// (descending, prefix, full-text, spatial, hash), views (check option, invoker), triggers sharing an event, a
    /// function and a procedure.
    /// </summary>
    public const string Varied = """
        CREATE TABLE customers (
            id INT UNSIGNED NOT NULL AUTO_INCREMENT,
            email VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
            name VARCHAR(100) DEFAULT 'anon',
            note VARCHAR(20) DEFAULT 'it''s',
            null_word VARCHAR(20) DEFAULT 'NULL',
            balance DECIMAL(10,2) NOT NULL DEFAULT 0.00,
            rating FLOAT,
            score DOUBLE DEFAULT NULL,
            is_active TINYINT(1) NOT NULL DEFAULT 1,
            small SMALLINT,
            big BIGINT UNSIGNED,
            tiny TINYINT,
            medium MEDIUMINT,
            padded INT(5) UNSIGNED ZEROFILL,
            flags BIT(3) DEFAULT b'101',
            born DATE DEFAULT '2000-01-01',
            created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
            updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
            wake_at TIME(2),
            since YEAR,
            profile JSON,
            avatar BLOB,
            code BINARY(4),
            token VARBINARY(16),
            motto TINYTEXT,
            bio LONGTEXT,
            mood ENUM('sad','ok','happy','it''s') NOT NULL DEFAULT 'ok',
            perms SET('r','w','x'),
            email_lower VARCHAR(255) AS (LOWER(email)) VIRTUAL,
            double_balance DECIMAL(12,2) AS (balance * 2) STORED,
            lucky INT DEFAULT (1 + 1),
            PRIMARY KEY (id),
            UNIQUE KEY uq_customers_email (email),
            UNIQUE KEY ux_customers_name_prefix (name(10)),
            KEY ix_customers_name_born (name DESC, born),
            FULLTEXT KEY ft_customers_bio (bio),
            CONSTRAINT ck_customers_balance CHECK (balance >= 0)
        );

        CREATE TABLE categories (
            code CHAR(3) NOT NULL,
            locale CHAR(2) NOT NULL,
            parent_code CHAR(3),
            parent_locale CHAR(2),
            qty INT CHECK (qty > 0),
            PRIMARY KEY (code, locale),
            CONSTRAINT fk_categories_parent FOREIGN KEY (parent_code, parent_locale) REFERENCES categories (code, locale) ON DELETE SET NULL ON UPDATE CASCADE
        );

        CREATE TABLE orders (
            order_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
            customer_id INT UNSIGNED NOT NULL,
            category_code CHAR(3),
            category_locale CHAR(2),
            total DECIMAL(12,2),
            placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
            FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
            CONSTRAINT fk_orders_category FOREIGN KEY (category_code, category_locale) REFERENCES categories (code, locale) ON DELETE RESTRICT ON UPDATE NO ACTION,
            CHECK (total >= 0)
        ) AUTO_INCREMENT = 100;

        CREATE UNIQUE INDEX ux_orders_customer_total ON orders (customer_id, total);
        CREATE INDEX ix_orders_placed ON orders (placed_at DESC);

        CREATE TABLE places (id INT NOT NULL PRIMARY KEY, loc POINT NOT NULL, SPATIAL INDEX sx_places_loc (loc));

        CREATE TABLE lookups (k INT NOT NULL, v VARCHAR(10), KEY ix_lookups_k (k) USING HASH) ENGINE = MEMORY;

        CREATE VIEW v_active AS SELECT c.id, c.email FROM customers c WHERE c.is_active = 1 WITH CHECK OPTION;

        CREATE SQL SECURITY INVOKER VIEW v_order_totals AS
            SELECT o.customer_id, SUM(o.total) AS total FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY o.customer_id;

        CREATE TRIGGER trg_orders_total BEFORE INSERT ON orders FOR EACH ROW SET NEW.total = COALESCE(NEW.total, 0);

        CREATE TRIGGER trg_orders_round BEFORE INSERT ON orders FOR EACH ROW FOLLOWS trg_orders_total SET NEW.total = ROUND(NEW.total, 1);

        DELIMITER //
        CREATE TRIGGER trg_customers_audit AFTER UPDATE ON customers FOR EACH ROW
        BEGIN
            IF NEW.balance <> OLD.balance THEN
                UPDATE orders SET total = total WHERE customer_id = NEW.id;
            END IF;
        END//
        DELIMITER ;

        CREATE FUNCTION f_add_tax(amount DECIMAL(10,2), rate INT) RETURNS DECIMAL(12,2) DETERMINISTIC RETURN amount * (100 + rate) / 100;

        DELIMITER //
        CREATE PROCEDURE p_touch(IN p_id BIGINT, OUT p_count INT)
        MODIFIES SQL DATA
        BEGIN
            UPDATE orders SET total = total WHERE order_id = p_id;
            SELECT COUNT(*) INTO p_count FROM orders;
        END//
        DELIMITER ;
        """;

    /// <summary>MariaDB-only objects: a SEQUENCE, UUID and INET6 columns, a system-versioned table.</summary>
    public const string MariaDbExtras = """
        CREATE SEQUENCE seq_invoice START WITH 10 INCREMENT BY 5 MINVALUE 1 MAXVALUE 1000 CYCLE;
        CREATE TABLE devices (id UUID NOT NULL PRIMARY KEY, addr INET6, invoice BIGINT NOT NULL DEFAULT NEXTVAL(seq_invoice));
        CREATE TABLE audit_log (id INT NOT NULL PRIMARY KEY, what VARCHAR(20)) WITH SYSTEM VERSIONING;
        """;

    /// <summary>MySQL 8-only objects: a functional index and an invisible index.</summary>
    public const string MySqlExtras = """
        CREATE INDEX ix_customers_lower_name ON customers ((LOWER(name)));
        ALTER TABLE orders ALTER INDEX ix_orders_placed INVISIBLE;
        """;

    /// <summary>One column per value family for the canonical-value tests.</summary>
    public const string Values = """
        CREATE TABLE vals (
            id INT NOT NULL PRIMARY KEY,
            amount DECIMAL(10,2),
            huge DECIMAL(65,30),
            f FLOAT,
            d DOUBLE,
            flag TINYINT(1),
            tiny TINYINT UNSIGNED,
            big BIGINT UNSIGNED,
            bits BIT(8),
            y YEAR,
            day DATE,
            dt DATETIME,
            dt3 DATETIME(3),
            ts TIMESTAMP(6) NULL,
            t TIME(3),
            long_t TIME,
            j JSON,
            bin VARBINARY(300),
            fixed BINARY(3),
            blb BLOB,
            e ENUM('a','b'),
            s SET('x','y','z'),
            txt TEXT,
            ch CHAR(5)
        );
        """;
}
