using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Seeding;
using RollbackVerifier.Tests.Support;

namespace RollbackVerifier.Tests.Seeding;

/// <summary>
/// The seeder against real engines: each test creates a throwaway database, runs DDL, inspects the schema, seeds
/// pre-existing rows with <see cref="Seeder.SeedAsync"/> and checks the data with SQL. This is the specification of
/// the pre-existing phase: foreign-key order and cycles, every constraint kind respected, nullable columns mostly
/// filled, realistic values, determinism, strict planning errors and per-column overrides from scenario.yml.
/// </summary>
[TestFixture(EngineKind.Postgres)]
[TestFixture(EngineKind.MySql)]
[TestFixture(EngineKind.Sqlite)]
[NonParallelizable]
public sealed class SeederEngineTests(EngineKind kind)
{
    /// <summary>The run's shared engine of this kind (disposed by <see cref="TestEngines"/>).</summary>
    private IDatabaseEngine Engine => TestEngines.Get(kind);

    [SetUp]
    public void RequireEngine()
    {
        if (kind != EngineKind.Sqlite && Environment.GetEnvironmentVariable("RV_" + kind.ToName().ToUpperInvariant() + "_URL") is null)
        {
            // In CI (CI=true) a missing Docker engine fails the test; locally it is ignored with a message.
            DockerRequirement.Ensure();
        }

        _ = Engine;
    }

    // ---------------------------------------------------------------- foreign keys

    [Test]
    public async Task Foreign_key_chain_is_seeded_parents_first_and_every_reference_resolves()
    {
        // Alphabetical order is the reverse of the dependency order: a_order_lines -> b_orders -> c_customers -> d_regions.
        // b_orders has a composite primary key, which a_order_lines references with a composite foreign key.
        await using var db = await CreateAsync("seeder fk chain", """
            CREATE TABLE d_regions (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL);
            CREATE TABLE c_customers (
                id INT PRIMARY KEY,
                region_id INT NOT NULL,
                email VARCHAR(120) NOT NULL,
                CONSTRAINT c_customers_region_fk FOREIGN KEY (region_id) REFERENCES d_regions (id)
            );
            CREATE TABLE b_orders (
                customer_id INT NOT NULL,
                order_no INT NOT NULL,
                total DECIMAL(10,2) NOT NULL,
                CONSTRAINT b_orders_pk PRIMARY KEY (customer_id, order_no),
                CONSTRAINT b_orders_customer_fk FOREIGN KEY (customer_id) REFERENCES c_customers (id)
            );
            CREATE TABLE a_order_lines (
                id INT PRIMARY KEY,
                customer_id INT NOT NULL,
                order_no INT NOT NULL,
                qty INT NOT NULL,
                CONSTRAINT a_order_lines_order_fk FOREIGN KEY (customer_id, order_no) REFERENCES b_orders (customer_id, order_no)
            );
            """);

        var summaries = await SeedAsync(db, Settings(rows: 30));

        var order = new[] { "d_regions", "c_customers", "b_orders", "a_order_lines" }.Select(t => IndexOf(summaries, t)).ToList();
        Assert.That(order, Is.Ordered.And.All.GreaterThanOrEqualTo(0), "tables are seeded parents first: " + string.Join(", ", summaries.Select(s => s.Table)));
        using (Assert.EnterMultipleScope())
        {
            foreach (var table in new[] { "d_regions", "c_customers", "b_orders", "a_order_lines" })
            {
                AssertSeeded(summaries, table, 30);
                Assert.That(await CountAsync(db, $"SELECT COUNT(*) FROM {table}"), Is.EqualTo(30), table);
            }

            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM c_customers c LEFT JOIN d_regions r ON r.id = c.region_id WHERE r.id IS NULL"), Is.Zero, "customers without region");
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM b_orders o LEFT JOIN c_customers c ON c.id = o.customer_id WHERE c.id IS NULL"), Is.Zero, "orders without customer");
            Assert.That(
                await CountAsync(db, "SELECT COUNT(*) FROM a_order_lines l LEFT JOIN b_orders o ON o.customer_id = l.customer_id AND o.order_no = l.order_no WHERE o.customer_id IS NULL"),
                Is.Zero,
                "order lines whose composite key matches no order");
            Assert.That(await CountAsync(db, "SELECT COUNT(DISTINCT region_id) FROM c_customers"), Is.GreaterThan(1), "children are spread over several parents");
        }
    }

    [Test]
    public async Task Self_reference_is_filled_with_earlier_rows()
    {
        await using var db = await CreateAsync("seeder self reference", """
            CREATE TABLE categories (
                id INT PRIMARY KEY,
                parent_id INT NULL,
                name VARCHAR(60) NOT NULL,
                CONSTRAINT categories_parent_fk FOREIGN KEY (parent_id) REFERENCES categories (id)
            );
            """);

        var summaries = await SeedAsync(db, Settings(rows: 40));

        using (Assert.EnterMultipleScope())
        {
            AssertSeeded(summaries, "categories", 40);
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM categories"), Is.EqualTo(40));
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM categories WHERE parent_id IS NOT NULL"), Is.GreaterThan(0), "some categories have a parent");
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM categories WHERE parent_id = id"), Is.Zero, "no category is its own parent");
            Assert.That(
                await CountAsync(db, "SELECT COUNT(*) FROM categories c LEFT JOIN categories p ON p.id = c.parent_id WHERE c.parent_id IS NOT NULL AND p.id IS NULL"),
                Is.Zero,
                "every parent exists");
        }
    }

    [Test]
    public async Task Cycle_through_a_nullable_foreign_key_is_seeded_and_the_key_filled_afterwards()
    {
        await using var db = await CreateAsync("seeder nullable cycle", kind == EngineKind.Sqlite
            ? """
              CREATE TABLE departments (
                  id INT PRIMARY KEY,
                  name VARCHAR(60) NOT NULL,
                  manager_id INT NULL,
                  CONSTRAINT departments_manager_fk FOREIGN KEY (manager_id) REFERENCES employees (id)
              );
              CREATE TABLE employees (
                  id INT PRIMARY KEY,
                  department_id INT NOT NULL,
                  full_name VARCHAR(80) NOT NULL,
                  CONSTRAINT employees_department_fk FOREIGN KEY (department_id) REFERENCES departments (id)
              );
              """
            : """
              CREATE TABLE departments (id INT PRIMARY KEY, name VARCHAR(60) NOT NULL, manager_id INT NULL);
              CREATE TABLE employees (
                  id INT PRIMARY KEY,
                  department_id INT NOT NULL,
                  full_name VARCHAR(80) NOT NULL,
                  CONSTRAINT employees_department_fk FOREIGN KEY (department_id) REFERENCES departments (id)
              );
              ALTER TABLE departments ADD CONSTRAINT departments_manager_fk FOREIGN KEY (manager_id) REFERENCES employees (id);
              """);

        var summaries = await SeedAsync(db, Settings(rows: 40));

        using (Assert.EnterMultipleScope())
        {
            AssertSeeded(summaries, "departments", 40);
            AssertSeeded(summaries, "employees", 40);
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM departments WHERE manager_id IS NOT NULL"), Is.GreaterThan(20), "most departments get a manager once employees exist");
            Assert.That(
                await CountAsync(db, "SELECT COUNT(*) FROM departments d LEFT JOIN employees e ON e.id = d.manager_id WHERE d.manager_id IS NOT NULL AND e.id IS NULL"),
                Is.Zero,
                "every manager exists");
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM employees e LEFT JOIN departments d ON d.id = e.department_id WHERE d.id IS NULL"), Is.Zero, "every department exists");
        }
    }

    [Test]
    public async Task Cycle_through_not_null_foreign_keys_is_a_planning_error_naming_the_tables()
    {
        await using var db = await CreateAsync("seeder not null cycle", kind == EngineKind.Sqlite
            ? """
              CREATE TABLE stores (id INT PRIMARY KEY, head_clerk_id INT NOT NULL, CONSTRAINT stores_head_clerk_fk FOREIGN KEY (head_clerk_id) REFERENCES clerks (id));
              CREATE TABLE clerks (id INT PRIMARY KEY, store_id INT NOT NULL, CONSTRAINT clerks_store_fk FOREIGN KEY (store_id) REFERENCES stores (id));
              """
            : """
              CREATE TABLE stores (id INT PRIMARY KEY, head_clerk_id INT NOT NULL);
              CREATE TABLE clerks (id INT PRIMARY KEY, store_id INT NOT NULL, CONSTRAINT clerks_store_fk FOREIGN KEY (store_id) REFERENCES stores (id));
              ALTER TABLE stores ADD CONSTRAINT stores_head_clerk_fk FOREIGN KEY (head_clerk_id) REFERENCES clerks (id);
              """);

        var error = Assert.CatchAsync<RollbackVerifierException>(async () => await SeedAsync(db, Settings(rows: 10)));

        Assert.That(error!.Message, Does.Contain("stores").And.Contain("clerks"));
    }

    // ---------------------------------------------------------------- constraints

    [Test]
    public async Task Unique_constraints_and_unique_indexes_are_respected()
    {
        var ddl = kind switch
        {
            EngineKind.Postgres => """
                CREATE TABLE accounts (
                    id INT PRIMARY KEY,
                    username VARCHAR(30) NOT NULL,
                    tenant_id INT NOT NULL,
                    handle VARCHAR(40) NOT NULL,
                    external_ref VARCHAR(20) NOT NULL,
                    email VARCHAR(120) NOT NULL,
                    archived BOOLEAN NOT NULL,
                    CONSTRAINT accounts_username_key UNIQUE (username),
                    CONSTRAINT accounts_tenant_handle_key UNIQUE (tenant_id, handle)
                );
                CREATE UNIQUE INDEX accounts_external_ref_idx ON accounts (external_ref);
                CREATE UNIQUE INDEX accounts_email_lower_idx ON accounts (lower(email));
                CREATE UNIQUE INDEX accounts_live_handle_idx ON accounts (handle) WHERE NOT archived;
                """,
            EngineKind.MySql => """
                CREATE TABLE accounts (
                    id INT PRIMARY KEY,
                    username VARCHAR(30) NOT NULL,
                    tenant_id INT NOT NULL,
                    handle VARCHAR(40) NOT NULL,
                    external_ref VARCHAR(20) NOT NULL,
                    email VARCHAR(120) NOT NULL,
                    archived BOOLEAN NOT NULL,
                    CONSTRAINT accounts_username_key UNIQUE (username),
                    CONSTRAINT accounts_tenant_handle_key UNIQUE (tenant_id, handle)
                );
                CREATE UNIQUE INDEX accounts_external_ref_idx ON accounts (external_ref);
                """,
            _ => """
                CREATE TABLE accounts (
                    id INT PRIMARY KEY,
                    username VARCHAR(30) NOT NULL,
                    tenant_id INT NOT NULL,
                    handle VARCHAR(40) NOT NULL,
                    external_ref VARCHAR(20) NOT NULL,
                    email VARCHAR(120) NOT NULL,
                    archived BOOLEAN NOT NULL,
                    CONSTRAINT accounts_username_key UNIQUE (username),
                    CONSTRAINT accounts_tenant_handle_key UNIQUE (tenant_id, handle)
                );
                CREATE UNIQUE INDEX accounts_external_ref_idx ON accounts (external_ref);
                CREATE UNIQUE INDEX accounts_email_lower_idx ON accounts (lower(email));
                CREATE UNIQUE INDEX accounts_live_handle_idx ON accounts (handle) WHERE archived = 0;
                """,
        };
        await using var db = await CreateAsync("seeder uniques", ddl);

        var summaries = await SeedAsync(db, Settings(rows: 300));

        using (Assert.EnterMultipleScope())
        {
            AssertSeeded(summaries, "accounts", 300);
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM accounts"), Is.EqualTo(300));
            Assert.That(await CountAsync(db, "SELECT COUNT(DISTINCT username) FROM accounts"), Is.EqualTo(300));
            Assert.That(await CountAsync(db, "SELECT COUNT(DISTINCT external_ref) FROM accounts"), Is.EqualTo(300));
            if (kind != EngineKind.MySql)
            {
                Assert.That(await CountAsync(db, "SELECT COUNT(DISTINCT lower(email)) FROM accounts"), Is.EqualTo(300), "emails distinct ignoring case");
            }
        }
    }

    [Test]
    public async Task Check_constraints_and_enums_are_respected()
    {
        var (timestamp, length, state) = kind switch
        {
            EngineKind.Postgres => ("TIMESTAMP", "char_length", "booking_state"),
            EngineKind.MySql => ("DATETIME", "CHAR_LENGTH", "ENUM('new', 'paid', 'shipped')"),
            _ => ("DATETIME", "length", "VARCHAR(10)"),
        };
        var ddl = (kind == EngineKind.Postgres ? "CREATE TYPE booking_state AS ENUM ('new', 'paid', 'shipped');\n" : string.Empty) + $"""
            CREATE TABLE bookings (
                id INT PRIMARY KEY,
                qty INT NOT NULL,
                status VARCHAR(10) NOT NULL,
                code CHAR(8) NOT NULL,
                label VARCHAR(50) NOT NULL,
                starts_at {timestamp} NOT NULL,
                ends_at {timestamp} NOT NULL,
                price DECIMAL(5,2) NOT NULL,
                discount DECIMAL(5,2),
                state {state} NOT NULL,
                CONSTRAINT bookings_qty_check CHECK (qty BETWEEN 1 AND 100),
                CONSTRAINT bookings_status_check CHECK (status IN ('new', 'paid', 'shipped')),
                CONSTRAINT bookings_code_check CHECK ({length}(code) = 8),
                CONSTRAINT bookings_label_check CHECK ({length}(label) <= 20),
                CONSTRAINT bookings_price_check CHECK (price >= 0),
                CONSTRAINT bookings_discount_check CHECK (discount > 0 AND discount < 50),
                CONSTRAINT bookings_period_check CHECK (ends_at > starts_at){(kind == EngineKind.Sqlite ? ",\n    CONSTRAINT bookings_state_check CHECK (state IN ('new', 'paid', 'shipped'))" : string.Empty)}
            );
            """;
        await using var db = await CreateAsync("seeder checks", ddl);

        var summaries = await SeedAsync(db, Settings(rows: 200));

        using (Assert.EnterMultipleScope())
        {
            AssertSeeded(summaries, "bookings", 200);
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM bookings"), Is.EqualTo(200));
            Assert.That(await CountAsync(db, "SELECT COUNT(DISTINCT qty) FROM bookings"), Is.GreaterThan(1), "values vary inside the range");
            Assert.That(await CountAsync(db, "SELECT COUNT(DISTINCT status) FROM bookings"), Is.GreaterThan(1), "values vary inside the list");
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM bookings WHERE discount IS NOT NULL"), Is.GreaterThan(0), "a nullable checked column is filled too");
        }
    }

    [Test]
    public async Task Not_null_columns_of_every_type_are_filled_within_their_limits()
    {
        // One table per type, so that a type the seeder gets wrong is named on its own.
        var types = kind switch
        {
            EngineKind.Postgres => new[]
            {
                "SMALLINT", "INTEGER", "BIGINT", "NUMERIC(5,2)", "NUMERIC", "REAL", "DOUBLE PRECISION", "BOOLEAN", "CHAR(3)", "VARCHAR(7)", "TEXT",
                "DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "INTERVAL", "UUID", "JSON", "JSONB", "BYTEA", "INTEGER[]", "TEXT[]", "order_state",
            },
            EngineKind.MySql => new[]
            {
                "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "BIGINT", "INT UNSIGNED", "BIGINT UNSIGNED", "DECIMAL(5,2)", "FLOAT", "DOUBLE", "BOOLEAN", "YEAR",
                "CHAR(3)", "VARCHAR(7)", "TINYTEXT", "TEXT", "MEDIUMTEXT", "BINARY(4)", "VARBINARY(16)", "BLOB", "DATE", "TIME", "DATETIME", "DATETIME(6)",
                "TIMESTAMP", "JSON", "ENUM('small', 'large')", "SET('red', 'green')",
            },
            _ => new[]
            {
                "INTEGER", "INT", "BIGINT", "SMALLINT", "DECIMAL(5,2)", "NUMERIC", "REAL", "DOUBLE", "FLOAT", "BOOLEAN", "CHAR(3)", "VARCHAR(7)", "TEXT", "CLOB",
                "BLOB", "DATE", "DATETIME", "TIMESTAMP", "TIME", "JSON", "UUID",
            },
        };
        var ddl = new StringBuilder(kind == EngineKind.Postgres ? "CREATE TYPE order_state AS ENUM ('new', 'paid', 'shipped');\n" : string.Empty);
        for (var i = 0; i < types.Length; i++)
        {
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE TABLE t{i:00} (id INT PRIMARY KEY, c {types[i]} NOT NULL);\n");
        }

        await using var db = await CreateAsync("seeder every type", ddl.ToString());

        var summaries = await SeedAsync(db, Settings(rows: 25));

        var length = kind == EngineKind.Postgres ? "char_length" : kind == EngineKind.MySql ? "CHAR_LENGTH" : "length";
        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < types.Length; i++)
            {
                var table = $"t{i:00}";
                var summary = summaries.FirstOrDefault(s => Bare(s.Table) == table);
                Assert.That(summary, Is.Not.Null, $"{types[i]}: table {table} not seeded");
                if (summary is null)
                {
                    continue;
                }

                Assert.That((summary.Inserted, summary.Skipped), Is.EqualTo((25L, 0L)), $"{types[i]}: inserted/skipped; first refusal: {summary.SkipReason}");
                Assert.That(await CountAsync(db, $"SELECT COUNT(c) FROM {table}"), Is.EqualTo(25), $"{types[i]}: rows with a value");
            }

            // SQLite does not enforce declared lengths and precisions: the seeder must.
            foreach (var (type, limit) in new[] { ("CHAR(3)", 3), ("VARCHAR(7)", 7) })
            {
                var table = $"t{Array.IndexOf(types, type):00}";
                Assert.That(await CountAsync(db, $"SELECT COUNT(*) FROM {table} WHERE {length}(c) > {limit}"), Is.Zero, $"{type}: values longer than {limit}");
            }

            var decimalType = Array.Find(types, t => t.EndsWith("(5,2)", StringComparison.Ordinal))!;
            Assert.That(await CountAsync(db, $"SELECT COUNT(*) FROM t{Array.IndexOf(types, decimalType):00} WHERE c >= 1000 OR c <= -1000"), Is.Zero, $"{decimalType}: values with more than 3 integer digits");
        }
    }

    [Test]
    public async Task Defaults_identity_and_generated_columns_are_left_to_the_database()
    {
        var ddl = kind switch
        {
            EngineKind.Postgres => """
                CREATE TABLE invoices (
                    id INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    number BIGSERIAL NOT NULL,
                    status VARCHAR(10) NOT NULL DEFAULT 'draft',
                    issued_on DATE NOT NULL DEFAULT CURRENT_DATE,
                    net NUMERIC(10,2) NOT NULL,
                    vat NUMERIC(10,2) NOT NULL,
                    gross NUMERIC(11,2) GENERATED ALWAYS AS (net + vat) STORED
                );
                CREATE TABLE invoice_lines (
                    id INT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    invoice_id INT NOT NULL REFERENCES invoices (id),
                    amount NUMERIC(10,2) NOT NULL
                );
                """,
            EngineKind.MySql => """
                CREATE TABLE invoices (
                    id INT AUTO_INCREMENT PRIMARY KEY,
                    status VARCHAR(10) NOT NULL DEFAULT 'draft',
                    issued_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    net DECIMAL(10,2) NOT NULL,
                    vat DECIMAL(10,2) NOT NULL,
                    gross DECIMAL(11,2) AS (net + vat) STORED,
                    net_cents BIGINT AS (net * 100) VIRTUAL
                );
                CREATE TABLE invoice_lines (
                    id INT AUTO_INCREMENT PRIMARY KEY,
                    invoice_id INT NOT NULL,
                    amount DECIMAL(10,2) NOT NULL,
                    CONSTRAINT invoice_lines_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoices (id)
                );
                """,
            _ => """
                CREATE TABLE invoices (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    status VARCHAR(10) NOT NULL DEFAULT 'draft',
                    issued_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    net DECIMAL(10,2) NOT NULL,
                    vat DECIMAL(10,2) NOT NULL,
                    gross DECIMAL(11,2) GENERATED ALWAYS AS (net + vat) STORED,
                    net_cents INTEGER GENERATED ALWAYS AS (CAST(net * 100 AS INTEGER)) VIRTUAL
                );
                CREATE TABLE invoice_lines (
                    id INTEGER PRIMARY KEY,
                    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
                    amount DECIMAL(10,2) NOT NULL
                );
                """,
        };
        await using var db = await CreateAsync("seeder defaults identity generated", ddl);

        var summaries = await SeedAsync(db, Settings(rows: 50));

        using (Assert.EnterMultipleScope())
        {
            AssertSeeded(summaries, "invoices", 50);
            AssertSeeded(summaries, "invoice_lines", 50);
            Assert.That(await CountAsync(db, "SELECT COUNT(DISTINCT id) FROM invoices"), Is.EqualTo(50), "identity values are the database's");
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM invoices WHERE gross <> net + vat"), Is.Zero, "generated column computed by the database");
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM invoice_lines l LEFT JOIN invoices i ON i.id = l.invoice_id WHERE i.id IS NULL"), Is.Zero, "lines reference generated invoice ids");
        }
    }

    [Test]
    public async Task Nullable_columns_are_mostly_filled()
    {
        var columns = kind switch
        {
            EngineKind.Postgres => new[]
            {
                ("age", "INT"), ("score", "NUMERIC(6,2)"), ("ratio", "DOUBLE PRECISION"), ("nickname", "VARCHAR(40)"), ("bio", "TEXT"), ("verified", "BOOLEAN"),
                ("born", "DATE"), ("last_login", "TIMESTAMP"), ("token", "UUID"), ("prefs", "JSONB"), ("avatar", "BYTEA"),
            },
            EngineKind.MySql => new[]
            {
                ("age", "INT"), ("score", "DECIMAL(6,2)"), ("ratio", "DOUBLE"), ("nickname", "VARCHAR(40)"), ("bio", "TEXT"), ("verified", "BOOLEAN"),
                ("born", "DATE"), ("last_login", "DATETIME"), ("token", "CHAR(36)"), ("prefs", "JSON"), ("avatar", "BLOB"),
            },
            _ => new[]
            {
                ("age", "INTEGER"), ("score", "DECIMAL(6,2)"), ("ratio", "REAL"), ("nickname", "VARCHAR(40)"), ("bio", "TEXT"), ("verified", "BOOLEAN"),
                ("born", "DATE"), ("last_login", "DATETIME"), ("token", "UUID"), ("prefs", "JSON"), ("avatar", "BLOB"),
            },
        };
        await using var db = await CreateAsync(
            "seeder nullable",
            $"CREATE TABLE profiles (id INT PRIMARY KEY, {string.Join(", ", columns.Select(c => $"{c.Item1} {c.Item2} NULL"))});");

        var summaries = await SeedAsync(db, Settings(rows: 200));

        using (Assert.EnterMultipleScope())
        {
            AssertSeeded(summaries, "profiles", 200);
            foreach (var (column, type) in columns)
            {
                var filled = await CountAsync(db, $"SELECT COUNT({column}) FROM profiles");
                Assert.That(filled, Is.GreaterThanOrEqualTo(100), $"{column} {type}: non-NULL in at least half of the rows");
                Assert.That(filled, Is.LessThan(200), $"{column} {type}: at least one NULL");
            }
        }
    }

    // ---------------------------------------------------------------- values

    [Test]
    public async Task Columns_named_like_well_known_data_get_realistic_values()
    {
        await using var db = await CreateAsync("seeder realistic", """
            CREATE TABLE contacts (
                id INT PRIMARY KEY,
                email VARCHAR(120) NOT NULL,
                country_code CHAR(2) NOT NULL,
                currency VARCHAR(3) NOT NULL
            );
            CREATE TABLE suppliers (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL, country_code VARCHAR(2) NOT NULL);
            """);

        var summaries = await SeedAsync(db, Settings(rows: 100));

        AssertSeeded(summaries, "contacts", 100);
        AssertSeeded(summaries, "suppliers", 100);
        var contacts = await QueryAsync(db, "SELECT email, country_code, currency FROM contacts");
        var suppliers = await QueryAsync(db, "SELECT country_code FROM suppliers");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(contacts.Select(r => r[0]), Has.All.Contains("@"), "email");
            Assert.That(contacts.Select(r => r[1]), Has.All.Match("^[A-Z]{2}$"), "country_code CHAR(2)");
            Assert.That(contacts.Select(r => r[2]), Has.All.Match("^[A-Z]{3}$"), "currency VARCHAR(3)");
            Assert.That(suppliers.Select(r => r[0]), Has.All.Match("^[A-Z]{2}$"), "country_code VARCHAR(2)");
        }
    }

    [Test]
    public async Task Same_seed_gives_the_same_rows_and_another_seed_other_rows()
    {
        var timestamp = kind == EngineKind.Postgres ? "TIMESTAMP" : "DATETIME";
        var ddl = $"""
            CREATE TABLE customers (
                id INT PRIMARY KEY,
                email VARCHAR(120) NOT NULL,
                full_name VARCHAR(80),
                born DATE,
                balance DECIMAL(10,2) NOT NULL,
                score DOUBLE PRECISION,
                active BOOLEAN NOT NULL,
                joined_at {timestamp} NOT NULL,
                CONSTRAINT customers_email_key UNIQUE (email)
            );
            CREATE TABLE orders (
                id INT PRIMARY KEY,
                customer_id INT NOT NULL,
                placed_at {timestamp},
                total DECIMAL(10,2) NOT NULL,
                note VARCHAR(200),
                CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
            );
            """;

        var first = await FingerprintAsync("seeder determinism a", ddl, seed: 7);
        var second = await FingerprintAsync("seeder determinism b", ddl, seed: 7);
        var other = await FingerprintAsync("seeder determinism c", ddl, seed: 8);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.EqualTo(first), "same schema, same seed, fresh database: the same rows");
            Assert.That(other, Is.Not.EqualTo(first), "another seed: other rows");
        }
    }

    // ---------------------------------------------------------------- planning errors

    [Test]
    public async Task Not_null_column_of_a_type_the_seeder_cannot_generate_is_a_planning_error()
    {
        var cases = kind switch
        {
            EngineKind.Postgres => new[]
            {
                ("CREATE TABLE shapes (id INT PRIMARY KEY, location POINT NOT NULL);", "shapes", "location"),
                ("CREATE TYPE price_tag AS (amount NUMERIC(10,2), currency CHAR(3)); CREATE TABLE tags (id INT PRIMARY KEY, price price_tag NOT NULL);", "tags", "price"),
            },
            EngineKind.MySql => new[] { ("CREATE TABLE shapes (id INT PRIMARY KEY, location GEOMETRY NOT NULL);", "shapes", "location") },

            // A column declared without a type (BLOB affinity, any value) is family Other, which the seeder does not generate.
            _ => new[] { ("CREATE TABLE shapes (id INT PRIMARY KEY, location NOT NULL);", "shapes", "location") },
        };

        foreach (var (ddl, table, column) in cases)
        {
            await using var db = await CreateAsync("seeder cannot generate", ddl);
            var error = Assert.CatchAsync<RollbackVerifierException>(async () => await SeedAsync(db, Settings(rows: 5)), table);
            Assert.That(error!.Message, Does.Contain(table).And.Contain(column));
        }
    }

    // ---------------------------------------------------------------- overrides (seed.tables.T.columns.C)

    [Test]
    public async Task Column_overrides_fix_values_lists_ranges_datasets_and_null_shares()
    {
        await using var db = await CreateAsync("seeder overrides", """
            CREATE TABLE members (
                id INT PRIMARY KEY,
                status VARCHAR(10) NOT NULL,
                tier VARCHAR(10) NOT NULL,
                qty INT NOT NULL,
                joined DATE NOT NULL,
                contact VARCHAR(120) NOT NULL,
                note VARCHAR(100),
                legacy_code VARCHAR(10)
            );
            """);
        var overrides = new Dictionary<string, ColumnSeedOverride>(StringComparer.Ordinal)
        {
            ["status"] = Override("scenario.yml:5") with { HasValue = true, Value = "vip" },
            ["tier"] = Override("scenario.yml:6") with { Values = ["gold", "silver"] },
            ["qty"] = Override("scenario.yml:7") with { Range = ("10", "20") },
            ["joined"] = Override("scenario.yml:8") with { Range = ("2024-01-01", "2024-01-31") },
            ["contact"] = Override("scenario.yml:9") with { Dataset = "internet.email" },
            ["note"] = Override("scenario.yml:10") with { Nulls = 0.3 },
            ["legacy_code"] = Override("scenario.yml:11") with { HasValue = true, Value = null },
        };

        var summaries = await SeedAsync(db, Settings(rows: 200, tables: new() { ["members"] = new TableSeedSettings(null, null, false) { Columns = overrides } }));

        AssertSeeded(summaries, "members", 200);
        var rows = await QueryAsync(db, "SELECT status, tier, qty, contact, note, legacy_code FROM members");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => r[0]), Has.All.EqualTo("vip"), "value: vip");
            Assert.That(rows.Select(r => r[1]).Distinct().Order(), Is.EqualTo(new[] { "gold", "silver" }), "values: [gold, silver]");
            Assert.That(rows.Select(r => int.Parse(r[2]!, CultureInfo.InvariantCulture)), Has.All.InRange(10, 20), "range: [10, 20]");
            // SQLite stores dates as text; date() compares the day whatever the text carries after it.
            var joined = kind == EngineKind.Sqlite ? "date(joined)" : "joined";
            Assert.That(
                (await QueryAsync(db, $"SELECT joined FROM members WHERE {joined} < '2024-01-01' OR {joined} > '2024-01-31'")).Select(r => r[0]),
                Is.Empty,
                "range: [2024-01-01, 2024-01-31]");
            Assert.That(rows.Select(r => r[3]), Has.All.Contains("@"), "dataset: internet.email (the column name alone would not give e-mail addresses)");
            Assert.That(rows.Count(r => r[4] is null), Is.InRange(42, 78), "nulls: 0.3 of 200 rows (within 3 standard deviations)");
            Assert.That(rows.Select(r => r[5]), Has.All.Null, "value: null");
        }
    }

    [Test]
    public async Task Override_for_a_column_the_table_does_not_have_is_an_error_naming_where_it_is_written()
    {
        await using var db = await CreateAsync("seeder override unknown column", "CREATE TABLE members (id INT PRIMARY KEY, status VARCHAR(10) NOT NULL);");
        var overrides = new Dictionary<string, ColumnSeedOverride>(StringComparer.Ordinal) { ["ghost"] = Override("scenario.yml:12") with { HasValue = true, Value = "x" } };

        var error = Assert.CatchAsync<RollbackVerifierException>(async () =>
            await SeedAsync(db, Settings(rows: 5, tables: new() { ["members"] = new TableSeedSettings(null, null, false) { Columns = overrides } })));

        Assert.That(error!.Message, Does.Contain("scenario.yml:12").And.Contain("ghost").And.Contain("members"));
    }

    [Test]
    public async Task Override_value_that_does_not_fit_the_column_type_is_an_error_naming_where_it_is_written()
    {
        await using var db = await CreateAsync("seeder override bad value", "CREATE TABLE members (id INT PRIMARY KEY, qty INT NOT NULL);");
        var overrides = new Dictionary<string, ColumnSeedOverride>(StringComparer.Ordinal) { ["qty"] = Override("scenario.yml:14") with { HasValue = true, Value = "many" } };

        var error = Assert.CatchAsync<RollbackVerifierException>(async () =>
            await SeedAsync(db, Settings(rows: 5, tables: new() { ["members"] = new TableSeedSettings(null, null, false) { Columns = overrides } })));

        Assert.That(error!.Message, Does.Contain("scenario.yml:14").And.Contain("qty").And.Contain("many"));
    }

    // ---------------------------------------------------------------- helpers

    private static ColumnSeedOverride Override(string location) => new(location, false, null, null, null, null, null);

    private static SeedSettings Settings(int rows, int seed = 42, Dictionary<string, TableSeedSettings>? tables = null) =>
        new(seed, rows, 0, tables ?? new Dictionary<string, TableSeedSettings>());

    private async Task<IDatabaseInstance> CreateAsync(string name, string ddl)
    {
        var db = await Engine.CreateDatabaseAsync(new DatabaseRequest(name, IsolationMode.Database), CancellationToken.None);
        try
        {
            await ExecuteAsync(db, ddl);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }

        return db;
    }

    private static async Task<IReadOnlyList<SeedTableSummary>> SeedAsync(IDatabaseInstance db, SeedSettings settings)
    {
        var schema = await db.InspectSchemaAsync(CancellationToken.None);
        return await Seeder.SeedAsync(db, schema, settings, SeedPhase.PreExisting, CancellationToken.None);
    }

    private async Task<string> FingerprintAsync(string name, string ddl, int seed)
    {
        await using var db = await CreateAsync(name, ddl);
        var summaries = await SeedAsync(db, Settings(rows: 60, seed: seed));
        Assert.That(summaries.Sum(s => s.Inserted), Is.GreaterThan(0), "something was seeded");
        var schema = await db.InspectSchemaAsync(CancellationToken.None);
        var text = new StringBuilder();
        foreach (var table in schema.Tables.OrderBy(t => t.Name.Name, StringComparer.Ordinal))
        {
            var rows = new List<string>();
            await foreach (var row in db.ReadRowsAsync(table, CancellationToken.None))
            {
                rows.Add(string.Join('\u001f', row.Select(v => v ?? "\u2400")));
            }

            rows.Sort(StringComparer.Ordinal);
            text.Append(table.Name.Name).Append('\n').AppendJoin('\n', rows).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Bare(string table) => table[(table.LastIndexOf('.') + 1)..];

    private static int IndexOf(IReadOnlyList<SeedTableSummary> summaries, string table)
    {
        for (var i = 0; i < summaries.Count; i++)
        {
            if (Bare(summaries[i].Table) == table)
            {
                return i;
            }
        }

        return -1;
    }

    private static void AssertSeeded(IReadOnlyList<SeedTableSummary> summaries, string table, long rows)
    {
        var summary = summaries.FirstOrDefault(s => Bare(s.Table) == table);
        Assert.That(summary, Is.Not.Null, $"{table} has a seed summary");
        Assert.That((summary?.Inserted, summary?.Skipped), Is.EqualTo(((long?)rows, (long?)0)), $"{table}: (inserted, skipped); first refusal: {summary?.SkipReason}");
    }

    private static async Task ExecuteAsync(IDatabaseInstance db, string script)
    {
        var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            foreach (var statement in db.Dialect.Splitter.Split(script, "test.sql"))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = statement.Text;
                await command.ExecuteNonQueryAsync();
            }
        }
    }

    private static async Task<long> CountAsync(IDatabaseInstance db, string sql)
    {
        var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
    }

    private static async Task<List<string?[]>> QueryAsync(IDatabaseInstance db, string sql)
    {
        DbConnection connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string?[]>();
            while (await reader.ReadAsync())
            {
                var row = new string?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
                }

                rows.Add(row);
            }

            return rows;
        }
    }
}
