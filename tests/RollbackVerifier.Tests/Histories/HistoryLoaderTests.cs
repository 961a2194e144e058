using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Scenarios.Histories;

namespace RollbackVerifier.Tests.Histories;

/// <summary>Each format's loader on its fixture folder (fixtures/histories/FORMAT), and the errors that name file and line. No database.</summary>
public sealed class HistoryLoaderTests
{
    private string _temp = string.Empty;

    [SetUp]
    public void CreateTemp() => Directory.CreateDirectory(_temp = Path.Combine(Path.GetTempPath(), "rv-hist-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteTemp() => Directory.Delete(_temp, recursive: true);

    internal static string Fixture(string format) => Path.Combine(TestEngines.RepoRoot, "fixtures", "histories", format);

    private static MigrationHistory Load(string folder, string? format = null) => HistoryFormats.Load(folder, format).History;

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_temp, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>(line, text) of the statements of a migration's script for an engine, as the runner would see them.</summary>
    private static List<(int Line, string Text)> Statements(ScriptStep step, EngineKind engine)
    {
        return HistoryScripts.Splitter(engine).Split(step.Script.Text, step.Script.Path).Select(s => (s.Line, s.Text.Split('\n')[0])).ToList();
    }

    private static string Names(MigrationHistory history, EngineKind engine) => string.Join(" ", history.For(engine).Select(m => m.Version));

    [TestCase("paired", "paired")]
    [TestCase("folder", "folder")]
    [TestCase("flyway", "flyway")]
    [TestCase("dbmate", "dbmate")]
    [TestCase("goose", "goose")]
    [TestCase("liquibase", "liquibase")]
    [TestCase("sqitch", "sqitch")]
    public void The_format_of_each_fixture_is_detected(string fixture, string format)
    {
        Assert.That(Load(Fixture(fixture)).Format, Is.EqualTo(format));
    }

    [Test]
    public void Paired_files_are_ordered_by_number_with_dialect_parts_before_or_after_the_direction()
    {
        var history = Load(Fixture("paired"));

        Assert.That(Names(history, EngineKind.Sqlite), Is.EqualTo("0001 0002 0003 0004 0005 0006 0007 0008"));
        var trigger = history.Migrations[5];
        Assert.That(trigger.Name, Is.EqualTo("0006_orders_updated_at_trigger"));
        Assert.That(Path.GetFileName(trigger.Up[EngineKind.Postgres].Script.Path), Is.EqualTo("0006_orders_updated_at_trigger.postgres.up.sql"));
        Assert.That(Path.GetFileName(trigger.Up[EngineKind.MySql].Script.Path), Is.EqualTo("0006_orders_updated_at_trigger.up.mysql.sql"));
        Assert.That(Path.GetFileName(trigger.Down[EngineKind.Sqlite].Script.Path), Is.EqualTo("0006_orders_updated_at_trigger.sqlite3.down.sql"));
        Assert.That(history.SpecificEngines, Is.EqualTo(EngineKinds.All));

        // sqlx's "-- no-transaction" first line: the postgres variant runs outside a transaction, the generic one in one.
        var index = history.Migrations[7];
        Assert.That((index.Up[EngineKind.Postgres].Mode, index.Up[EngineKind.MySql].Mode), Is.EqualTo((ExecutionMode.Autocommit, ExecutionMode.Transaction)));
        Assert.That(index.Down, Is.Empty, "no down file: irreversible, not an error");
        Assert.That(index.MissingDown, Does.Contain("0008_index_orders_created_at.down.sql"));
    }

    [Test]
    public void A_mysql_script_with_DELIMITER_keeps_the_trigger_body_whole_on_its_own_lines()
    {
        var trigger = Load(Fixture("paired")).Migrations[5];

        Assert.That(Statements(trigger.Up[EngineKind.MySql], EngineKind.MySql), Is.EqualTo(new[]
        {
            (1, "ALTER TABLE orders ADD COLUMN updated_at DATETIME NULL"),
            (4, "CREATE TRIGGER trg_orders_touch BEFORE UPDATE ON orders"),
        }));
        Assert.That(Statements(trigger.Up[EngineKind.Postgres], EngineKind.Postgres).Select(s => s.Line), Is.EqualTo(new[] { 1, 3, 12 }), "the plpgsql body with ';' inside is one statement");
    }

    [Test]
    public void Folder_migrations_take_the_version_from_the_folder_name_and_metadata_toml_for_transactions()
    {
        var history = Load(Fixture("folder"));

        Assert.That(Names(history, EngineKind.Postgres), Does.StartWith("20240101090000 20240102090000"));
        Assert.That(history.Migrations[0].Name, Is.EqualTo("2024-01-01-090000_create_customers"));
        Assert.That(history.Migrations[7].Up[EngineKind.Postgres].Mode, Is.EqualTo(ExecutionMode.Autocommit), "run_in_transaction = false");
        Assert.That(history.Migrations[6].Up[EngineKind.Sqlite].Mode, Is.EqualTo(ExecutionMode.Transaction));
        Assert.That(Path.GetFileName(history.Migrations[5].Up[EngineKind.MySql].Script.Path), Is.EqualTo("up.mysql.sql"));
    }

    [Test]
    public void Flyway_versions_compare_as_Flyway_does_and_repeatables_come_last()
    {
        var history = Load(Fixture("flyway"));

        Assert.That(Names(history, EngineKind.MySql), Is.EqualTo("1 2 2.1 3 4 5 6 7 R__customer_order_totals"));
        Assert.That(history.Migrations[^1].Kind, Is.EqualTo(MigrationKind.Repeatable));
        Assert.That(VersionScheme.Flyway.Compare("1.0.0", "1"), Is.Zero, "trailing zero parts do not count");
        Assert.That(VersionScheme.Flyway.Compare("1_10", "1.9"), Is.Positive, "parts compare as numbers, underscores are dots");
        Assert.That(VersionScheme.Flyway.Compare("2", "10"), Is.Negative);

        // Vendor folders: each engine has its own V5 and V7; V7's script config runs the postgres one outside a transaction.
        var v7 = history.Migrations[7];
        Assert.That(v7.Up[EngineKind.Postgres].Script.Path, Does.Contain("postgresql"));
        Assert.That((v7.Up[EngineKind.Postgres].Mode, v7.Up[EngineKind.Sqlite].Mode), Is.EqualTo((ExecutionMode.Autocommit, ExecutionMode.Transaction)));
        Assert.That(v7.Down, Is.Empty);
        Assert.That(history.Migrations[2].Down.ContainsKey(EngineKind.Sqlite), "U2_1 is the undo of V2_1");

        // ${team} from rollback-verifier.yml, on the line it has in the file.
        Assert.That(history.Migrations[0].Up[EngineKind.Sqlite].Script.Text, Does.StartWith("-- Owned by payments.\n"));
    }

    [Test]
    public void Flyway_detects_a_script_whose_statements_all_refuse_a_transaction()
    {
        Write("V1__create.sql", "CREATE TABLE t (id int);\n");
        Write("V2__index.sql", "CREATE INDEX CONCURRENTLY ix ON t (id);\n");
        Write("V3__mixed.sql", "CREATE TABLE u (id int);\nCREATE INDEX CONCURRENTLY ux ON u (id);\n");
        var history = Load(_temp);

        Assert.That(history.Migrations.Select(m => m.Up[EngineKind.Postgres].Mode), Is.EqualTo(new[] { ExecutionMode.Transaction, ExecutionMode.Autocommit, ExecutionMode.Transaction }));
    }

    [Test]
    public void Dbmate_sections_keep_their_lines_and_transaction_false_is_honoured()
    {
        var history = Load(Fixture("dbmate"));
        var backfill = history.Migrations[4];

        Assert.That(Statements(backfill.Up[EngineKind.Sqlite], EngineKind.Sqlite).Select(s => s.Line), Is.EqualTo(new[] { 3, 5 }));
        Assert.That(Statements(backfill.Down[EngineKind.Sqlite], EngineKind.Sqlite).Select(s => s.Line), Is.EqualTo(new[] { 8 }), "the down section starts after -- migrate:down on line 7");
        Assert.That(history.Migrations[7].Up[EngineKind.Postgres].Mode, Is.EqualTo(ExecutionMode.Autocommit));
        Assert.That(history.Migrations[7].Down, Is.Empty);
    }

    [Test]
    public void Goose_annotations_split_up_and_down_and_no_transaction_applies_to_the_file()
    {
        var history = Load(Fixture("goose"));

        Assert.That(Names(history, EngineKind.Postgres), Is.EqualTo("00001 00002 00003 00004 00005 00006 00007 00008"));
        Assert.That(Statements(history.Migrations[5].Up[EngineKind.MySql], EngineKind.MySql).Select(s => s.Line), Is.EqualTo(new[] { 2, 5 }), "StatementBegin/End around a trigger body without DELIMITER");
        Assert.That(history.Migrations[7].Up[EngineKind.Postgres].Mode, Is.EqualTo(ExecutionMode.Autocommit));
        Assert.That(history.Migrations[7].Up[EngineKind.Sqlite].Mode, Is.EqualTo(ExecutionMode.Transaction));
    }

    [Test]
    public void Liquibase_changesets_follow_file_order_dbms_and_rollback_lines_report_their_real_lines()
    {
        var history = Load(Fixture("liquibase"));

        Assert.That(Names(history, EngineKind.Postgres), Is.EqualTo("1 2 3 4 5 6-pg 7 8-pg"));
        Assert.That(Names(history, EngineKind.MySql), Is.EqualTo("1 2 3 4 5 6-mysql 7 8"));
        Assert.That(history.Migrations[0].Name, Is.EqualTo("shop:1"));
        Assert.That(history.Migrations[0].Description, Is.EqualTo("Customers of the shop"));

        // The rollback block of changeset 6-pg sits at lines 27-29 of 02-features.sql: its statements report those lines.
        var trigger = history.For(EngineKind.Postgres)[5];
        Assert.That(Statements(trigger.Down[EngineKind.Postgres], EngineKind.Postgres), Is.EqualTo(new[]
        {
            (27, "DROP TRIGGER trg_orders_touch ON orders"),
            (28, "DROP FUNCTION orders_touch()"),
            (29, "ALTER TABLE orders DROP COLUMN updated_at"),
        }));
        Assert.That(Statements(history.Migrations[0].Down[EngineKind.Sqlite], EngineKind.Sqlite), Is.EqualTo(new[] { (12, "DROP TABLE customers") }), "--rollback on line 12");

        // endDelimiter:// becomes the mysql client's DELIMITER; ${lower_fn} is the changelog's --property.
        var mysqlTrigger = history.For(EngineKind.MySql)[5];
        Assert.That(Statements(mysqlTrigger.Up[EngineKind.MySql], EngineKind.MySql).Select(s => s.Line), Is.EqualTo(new[] { 33, 35 }));
        Assert.That(Statements(mysqlTrigger.Down[EngineKind.MySql], EngineKind.MySql).Select(s => s.Line), Is.EqualTo(new[] { 41, 42 }));
        Assert.That(history.Migrations[4].Up[EngineKind.Sqlite].Script.Text, Does.Contain("LOWER(email)"));

        // runInTransaction:false and --rollback not required.
        var index = history.For(EngineKind.Postgres)[7];
        Assert.That(index.Up[EngineKind.Postgres].Mode, Is.EqualTo(ExecutionMode.Autocommit));
        Assert.That((index.Down.Count, index.MissingDown), Is.EqualTo((0, "the changeset declares --rollback not required (02-features.sql:67)")));
    }

    [Test]
    public void Liquibase_empty_rollback_is_a_rollback_that_does_nothing_and_a_reference_reuses_another_changeset()
    {
        Write("changelog.sql", "--liquibase formatted sql\n\n--changeset a:1\nCREATE TABLE t (id int);\n--rollback empty\n\n--changeset a:2\nDROP TABLE t;\n--rollback changesetId:1 changesetAuthor:a\n");
        var history = Load(_temp);

        Assert.That(history.Migrations[0].Down[EngineKind.Sqlite].Script.Text, Is.Empty);
        Assert.That(Statements(history.Migrations[1].Down[EngineKind.Sqlite], EngineKind.Sqlite), Is.EqualTo(new[] { (4, "CREATE TABLE t (id int)") }));
    }

    [Test]
    public void Sqitch_reads_one_plan_per_engine_with_tags_dependencies_and_a_reworked_change()
    {
        var history = Load(Fixture("sqitch"));
        var pg = history.For(EngineKind.Postgres);

        Assert.That(pg.Select(m => m.Version), Is.EqualTo(new[]
        {
            "create_customers", "create_orders", "add_orders_status", "rename_customer_name", "backfill_email_lower",
            "orders_updated_at_trigger@v1.0", "drop_customer_phone", "index_orders_created_at", "orders_updated_at_trigger",
        }));
        Assert.That(Path.GetFileName(pg[5].Up[EngineKind.Postgres].Script.Path), Is.EqualTo("orders_updated_at_trigger@v1.0.sql"), "the earlier instance of a reworked change uses the tagged scripts");
        Assert.That(Path.GetFileName(pg[8].Down[EngineKind.Postgres].Script.Path), Is.EqualTo("orders_updated_at_trigger.sql"));
        Assert.That(pg[0].Up[EngineKind.Postgres].Mode, Is.EqualTo(ExecutionMode.Autocommit), "scripts carry their own BEGIN/COMMIT");
        Assert.That(pg[0].Up.Keys, Is.EqualTo(new[] { EngineKind.Postgres }), "the pg plan's scripts are for postgres only");
        Assert.That(history.For(EngineKind.MySql)[0].Up[EngineKind.MySql].Script.Path, Does.Contain("/mysql/deploy/"));
    }

    // ------------------------------------------------------------------ errors name the file and line

    [Test]
    public void A_duplicate_version_is_an_error_naming_both_files()
    {
        Write("0003_a.up.sql", "SELECT 1;");
        Write("3_b.up.sql", "SELECT 1;");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => Load(_temp));
        Assert.That(ex!.Message, Does.Contain("3_b.up.sql").And.Contain("0003_a.up.sql").And.Contain("version"));
    }

    [Test]
    public void An_unknown_dialect_part_after_the_direction_is_an_error()
    {
        Write("0001_a.up.oracle.sql", "SELECT 1;");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => Load(_temp, "paired"));
        Assert.That(ex!.Message, Does.Contain("0001_a.up.oracle.sql").And.Contain("unknown dialect part 'oracle'"));
    }

    [Test]
    public void A_typo_in_a_paired_file_name_is_an_error_not_a_skipped_file()
    {
        Write("0001_a.up.sql", "SELECT 1;");
        Write("0002_b.upp.sql", "SELECT 1;");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => Load(_temp));
        Assert.That(ex!.Message, Does.Contain("0002_b.upp.sql").And.Contain("ignore:"));
    }

    [Test]
    public void A_changeset_without_id_is_an_error_with_its_line()
    {
        var path = Write("changelog.sql", "--liquibase formatted sql\n\n--changeset alice\nCREATE TABLE t (id int);\n");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => Load(_temp));
        Assert.That((ex!.File, ex.Line), Is.EqualTo((path, 3)));
        Assert.That(ex.Message, Does.Contain("author:id"));
    }

    [Test]
    public void An_unclosed_liquibase_rollback_block_is_an_error_with_its_line()
    {
        Write("changelog.sql", "--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id int);\n/* liquibase rollback\nDROP TABLE t;\n");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => Load(_temp));
        Assert.That((ex!.Line, ex.Message), Is.EqualTo((4, ex.Message)));
        Assert.That(ex.Message, Does.Contain("not closed"));
    }

    [TestCase("create_users 2024-01-01 Ada <ada@example.com>\n", 3, "malformed plan line")]
    [TestCase("users [schema] 2024-01-01T09:00:00Z Ada <ada@example.com>\n", 3, "requires 'schema', which is not earlier in the plan")]
    [TestCase("users 2024-01-01T09:00:00Z Ada <ada@example.com>\nusers 2024-01-02T09:00:00Z Ada <ada@example.com>\n", 4, "without a tag")]
    [TestCase("@v1 2024-01-01T09:00:00Z Ada <ada@example.com>\n", 3, "before the first change")]
    public void Malformed_sqitch_plans_are_errors_with_their_line(string lines, int line, string problem)
    {
        var plan = Write("sqitch.plan", "%syntax-version=1.0.0\n%project=shop\n" + lines);
        Write("deploy/users.sql", "SELECT 1;");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => Load(_temp));
        Assert.That((ex!.File, ex.Line), Is.EqualTo((plan, line)));
        Assert.That(ex.Message, Does.Contain(problem));
    }

    [Test]
    public void A_dbmate_file_without_an_up_block_is_an_error()
    {
        Write("20240101_a.sql", "-- migrate:up\nSELECT 1;\n");
        var path = Write("20240102_b.sql", "SELECT 1;\n-- migrate:up\n");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => Load(_temp));
        Assert.That((ex!.File, ex.Line), Is.EqualTo((path, 1)));
    }

    [Test]
    public void A_folder_that_fits_two_formats_is_ambiguous_and_one_that_fits_none_is_unknown()
    {
        Write("0001_a.up.sql", "SELECT 1;");
        Write("V1__a.sql", "SELECT 1;");
        var ambiguous = Assert.Throws<ScenarioDefinitionException>(() => Load(_temp));
        Assert.That(ambiguous!.Message, Does.Contain("more than one").And.Contain("flyway (V1__a.sql)").And.Contain("paired (0001_a.up.sql)").And.Contain("--format"));
        Assert.That(() => Load(_temp, "flyway"), Throws.TypeOf<ScenarioDefinitionException>().With.Message.Contains("0001_a.up.sql: not a flyway migration file"), "--format settles it, and the other file is then a stray");

        var empty = Directory.CreateDirectory(Path.Combine(_temp, "empty")).FullName;
        Assert.That(() => Load(empty), Throws.TypeOf<ScenarioDefinitionException>().With.Message.Contains("cannot tell the migration format"));
        Assert.That(() => Load(_temp, "rails"), Throws.TypeOf<ScenarioDefinitionException>().With.Message.Contains("unknown migration format 'rails'"));
    }

    [Test]
    public void Settings_file_errors_name_their_line()
    {
        Write("0001_a.up.sql", "SELECT 1;");
        var settings = Write(HistorySettings.FileName, "engines: [sqlite]\nmigrations:\n  \"0001\":\n    expect: { verdict: fail }\n    seeds: {}\n");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => Load(_temp));
        Assert.That((ex!.File, ex.Line), Is.EqualTo((settings, 5)));
        Assert.That(ex.Message, Does.Contain("seeds").And.Contain("did you mean"));

        Write(HistorySettings.FileName, "accepted:\n  - code: RV108\n");
        Assert.That(() => Load(_temp), Throws.TypeOf<ScenarioDefinitionException>().With.Message.Contains(":2:").And.Message.Contains("reason"));
    }

    [Test]
    public void A_settings_entry_for_a_migration_that_does_not_exist_is_an_error_with_its_line()
    {
        Write("0001_a.up.sql", "SELECT 1;");
        var settings = Write(HistorySettings.FileName, "engines: [sqlite]\nmigrations:\n  \"0009\":\n    expect: { verdict: fail }\n");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => HistoryPlan.Create(new HistoryOptions(_temp)));
        Assert.That((ex!.File, ex.Line), Is.EqualTo((settings, 3)));
        Assert.That(ex.Message, Does.Contain("no migration '0009'").And.Contain("0001"));
    }

    [Test]
    public void A_psql_include_in_an_up_is_reported_with_its_file_and_line_before_anything_runs()
    {
        Write("0001_a.up.sql", "CREATE TABLE t (id int);\n");
        Write("0001_a.down.sql", "DROP TABLE t;\n");
        Write("0002_b.up.sql", "\\set ON_ERROR_STOP on\nCREATE TABLE u (id int);\n\\i seed.sql\n");
        Write("0002_b.down.sql", "DROP TABLE u;\n");
        var plan = HistoryPlan.Create(new HistoryOptions(_temp) { Engine = EngineKind.Postgres });
        var step = plan.StepFor("0002_b", EngineKind.Postgres)!;

        Assert.That(step.Kind, Is.EqualTo(StepKind.Broken));
        Assert.That(step.Problem, Does.Contain("0002_b.up.sql:3: psql meta-command '\\i seed.sql' includes another file"));
        Assert.That(plan.Chains[EngineKind.Postgres].StaticStop?.Index, Is.EqualTo(1));
    }

    [Test]
    public void Options_choose_a_range_one_migration_or_a_unit_in_the_formats_own_order()
    {
        string Plan(HistoryOptions options) => string.Join(" ", HistoryPlan.Create(options with { Engine = EngineKind.Sqlite }).Scenarios.Select(s => s.Name));
        var flyway = new HistoryOptions(Fixture("flyway"));

        Assert.That(Plan(flyway with { From = "2.0", To = "3" }), Is.EqualTo("V2__create_orders V2_1__add_orders_status V3__rename_customer_name"));
        Assert.That(Plan(flyway with { From = "6" }), Is.EqualTo("V6__drop_customer_phone V7__index_orders_created_at R__customer_order_totals"), "repeatables belong to a range open at the end");
        Assert.That(Plan(flyway with { Migration = "2_1" }), Is.EqualTo("V2_1__add_orders_status"));
        Assert.That(Plan(new HistoryOptions(Fixture("liquibase")) { From = "shop:4", To = "6-sqlite" }), Is.EqualTo("shop:4 shop:5 shop:6-sqlite"));

        var unit = HistoryPlan.Create(new HistoryOptions(Fixture("paired")) { Unit = "3..5", Engine = EngineKind.Sqlite });
        var scripts = unit.Scenarios.Single().Scripts[EngineKind.Sqlite];
        Assert.That(unit.Scenarios.Single().Name, Is.EqualTo("0003_add_orders_status..0005_backfill_email_lower"));
        Assert.That(scripts.BaselineSteps!.Select(s => Path.GetFileName(s.Script.Path)), Is.EqualTo(new[] { "0001_create_customers.up.sql", "0002_create_orders.up.sql" }));
        Assert.That(scripts.ForwardSteps!.Select(s => Path.GetFileName(s.Script.Path)[..4]), Is.EqualTo(new[] { "0003", "0004", "0005" }));
        Assert.That(scripts.RollbackSteps!.Select(s => Path.GetFileName(s.Script.Path)[..4]), Is.EqualTo(new[] { "0005", "0004", "0003" }), "downs in reverse order");

        Assert.That(() => Plan(flyway with { From = "abc" }), Throws.TypeOf<ScenarioDefinitionException>().With.Message.Contains("'abc' is not a Flyway version"));
        Assert.That(() => Plan(flyway with { Migration = "9" }), Throws.TypeOf<ScenarioDefinitionException>().With.Message.Contains("no migration '9'"));
        Assert.That(() => Plan(flyway with { Migration = "1", From = "1" }), Throws.TypeOf<ScenarioDefinitionException>());
    }
}

/// <summary>The JSON history object: every property it writes is documented in docs/report-json.md.</summary>
public sealed class HistoryReportTests
{
    [Test]
    public void Every_history_property_in_the_json_report_is_documented()
    {
        var result = Reporting.JsonReportWriterTests.SampleReport().Results[^1] with
        {
            History = new HistoryPosition("paired", "/repo/db/migrations", "0004", "0004_add_status", 4, 8) { Unit = ["0004", "0005"], ChainStoppedAt = "0003" },
        };
        var report = new RollbackVerifier.Reporting.VerificationReport("0.1.0", DateTimeOffset.UnixEpoch, TimeSpan.Zero, [result]);
        using var json = System.Text.Json.JsonDocument.Parse(RollbackVerifier.Reporting.JsonReportWriter.Render(report));
        var history = json.RootElement.GetProperty("results")[0].GetProperty("history");
        var doc = File.ReadAllText(Path.Combine(TestEngines.RepoRoot, "docs", "report-json.md"));

        Assert.That(history.GetProperty("unit").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "0004", "0005" }));
        Assert.That(history.GetProperty("chainStoppedAt").GetString(), Is.EqualTo("0003"));
        Assert.That(history.EnumerateObject().Select(p => p.Name).Where(n => !doc.Contains($"| `{n}`", StringComparison.Ordinal)), Is.Empty);
    }
}
