namespace RollbackVerifier.Tests.Engines.Sqlite;

/// <summary>DDL used by the SQLite engine tests.</summary>
internal static class SqliteSchemas
{
    /// <summary>Every object kind SQLite has, with the details the inspector must read.</summary>
    public const string Varied = """
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email VARCHAR(255) NOT NULL COLLATE NOCASE,
            name TEXT DEFAULT 'anon',
            balance DECIMAL(10, 2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
            rating REAL,
            is_active BOOLEAN NOT NULL DEFAULT 1,
            born DATE,
            created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
            profile JSON,
            external_id UUID,
            avatar BLOB,
            nickname,
            email_domain TEXT GENERATED ALWAYS AS (substr(email, instr(email, '@') + 1)) VIRTUAL,
            balance_cents INTEGER AS (CAST(balance * 100 AS INTEGER)) STORED,
            CONSTRAINT uq_customers_email UNIQUE (email),
            CONSTRAINT ck_customers_name CHECK (length(name) <= 100)
        );

        CREATE TABLE categories (
            code TEXT NOT NULL,
            locale TEXT NOT NULL,
            label TEXT,
            CONSTRAINT pk_categories PRIMARY KEY (code, locale)
        ) WITHOUT ROWID;

        CREATE TABLE orders (
            order_id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            category_code TEXT,
            category_locale TEXT,
            total NUMERIC(12, 3),
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped')),
            note TEXT UNIQUE,
            CONSTRAINT fk_orders_category FOREIGN KEY (category_code, category_locale)
                REFERENCES categories (code, locale) ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED
        );

        CREATE TABLE products (
            id INTEGER PRIMARY KEY,
            sku TEXT NOT NULL,
            price DECIMAL(10, 2) CHECK (price > 0),
            qty INTEGER DEFAULT 0
        );

        CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, message TEXT);

        CREATE INDEX ix_orders_customer ON orders (customer_id, total DESC);
        CREATE UNIQUE INDEX ux_orders_lower_status ON orders (lower(status), order_id) WHERE status <> 'new';
        CREATE INDEX ix_customers_name_nocase ON customers (name COLLATE NOCASE);

        CREATE VIEW v_paid_orders AS
            SELECT o.order_id, c.email
            FROM orders o JOIN customers c ON c.id = o.customer_id
            WHERE o.status = 'paid';

        CREATE TRIGGER trg_orders_paid AFTER UPDATE OF status ON orders
        FOR EACH ROW WHEN NEW.status = 'paid'
        BEGIN
            UPDATE customers SET rating = coalesce(rating, 0) + 1 WHERE id = NEW.customer_id;
        END;

        INSERT INTO customers (email, balance) VALUES ('a@example.com', 10.5);
        """;

    /// <summary>
    /// <see cref="Varied"/> written differently (keyword case, quoting styles, whitespace, comments) but meaning the
    /// same: its snapshot must be equal.
    /// </summary>
    public const string VariedRespelled = """
        create table "customers" (
            [id] integer primary key autoincrement,   -- the key
            `email` varchar( 255 )   not null collate nocase,
            "name" text default 'anon',
            balance decimal(10,2) not null default 0 check(balance>=0),
            rating real,
            is_active boolean not null default 1,
            born date,
            created_at datetime default current_timestamp,
            profile json,
            external_id uuid,
            avatar blob,
            nickname,
            email_domain text generated always as (substr(email,instr(email,'@')+1)) virtual,
            balance_cents integer as (cast(balance*100 as integer)) stored,
            constraint uq_customers_email unique (email),
            constraint ck_customers_name check (length("name")<=100)
        );
        create table categories (code text not null, locale text not null, label text,
            constraint pk_categories primary key (code, locale)) without rowid;
        create table orders (
            order_id integer primary key,
            customer_id integer not null references "customers"(id) on delete cascade,
            category_code text, category_locale text,
            total numeric(12,3),
            status text not null default 'new' check (status in ('new','paid','shipped')),
            note text unique,
            constraint fk_orders_category foreign key (category_code, category_locale)
                references categories(code, locale) on update set null deferrable initially deferred
        );
        create table products (id integer primary key, sku text not null, price decimal(10,2) check (price > 0), qty integer default 0);
        create table audit_log (id integer primary key autoincrement, message text);
        create index ix_orders_customer on orders(customer_id, total desc);
        create unique index ux_orders_lower_status on orders(lower(status), order_id) where status<>'new';
        create index ix_customers_name_nocase on customers(name collate nocase);
        /* the view */
        create view v_paid_orders as select o.order_id, c.email from orders o join customers c on c.id = o.customer_id where o.status = 'paid';
        create trigger trg_orders_paid after update of status on orders for each row when new.status = 'paid'
        begin update customers set rating = coalesce(rating, 0) + 1 where id = new.customer_id; end;
        insert into customers (email, balance) values ('a@example.com', 10.5);
        """;

    /// <summary>The SQLite-recommended 12-step rebuild of products, with <paramref name="definition"/> as the new column list.</summary>
    public static string RebuildProducts(string definition) => $"""
        PRAGMA foreign_keys = OFF;
        BEGIN;
        CREATE TABLE products_new ({definition});
        INSERT INTO products_new (id, sku, price, qty) SELECT id, sku, price, qty FROM products;
        DROP TABLE products;
        ALTER TABLE products_new RENAME TO products;
        COMMIT;
        PRAGMA foreign_keys = ON;
        """;

    public const string ProductsColumns = "id INTEGER PRIMARY KEY, sku TEXT NOT NULL, price DECIMAL(10, 2) CHECK (price > 0), qty INTEGER DEFAULT 0";
}
