using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Diffing;

/// <summary>
/// Leaves tables out of a run: the bookkeeping tables of well-known migration tools (unless the scenario says
/// <c>compare.history_tables: compare</c>) and the tables the scenario names in <c>compare.ignore_tables</c>, with their
/// triggers and the sequences they own. A left-out table is neither seeded nor compared; the tables actually left out
/// are listed in the report with the reason (docs/decisions/0009-migration-history-tables.md).
/// </summary>
public sealed class ComparisonFilter(CompareSettings settings)
{
    /// <summary>
    /// Tables in which migration tools record what they applied, by name (compared case-insensitively, schema ignored).
    /// A tool's rollback updates them as it should; the harness must never write rows into them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> HistoryTables { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["__EFMigrationsHistory"] = "EF Core migration history",
        ["__MigrationHistory"] = "Entity Framework 6 migration history",
        ["alembic_version"] = "Alembic migration history",
        ["django_migrations"] = "Django migration history",
        ["flyway_schema_history"] = "Flyway migration history",
        ["schema_version"] = "Flyway (before 5) migration history",
        ["schema_migrations"] = "migration history (Rails, golang-migrate, dbmate, Ecto)",
        ["ar_internal_metadata"] = "Rails environment metadata",
        ["databasechangelog"] = "Liquibase migration history",
        ["databasechangeloglock"] = "Liquibase lock",
        ["knex_migrations"] = "Knex migration history",
        ["knex_migrations_lock"] = "Knex lock",
        ["SequelizeMeta"] = "Sequelize migration history",
        ["goose_db_version"] = "goose migration history",
        ["_prisma_migrations"] = "Prisma migration history",
        ["__diesel_schema_migrations"] = "Diesel migration history",
        ["_sqlx_migrations"] = "SQLx migration history",
        ["refinery_schema_history"] = "Refinery migration history",
        ["doctrine_migration_versions"] = "Doctrine migration history",
        ["phinxlog"] = "Phinx migration history",
        ["SchemaVersions"] = "DbUp migration history",
        ["VersionInfo"] = "FluentMigrator migration history",
        ["gorp_migrations"] = "sql-migrate migration history",
        ["pgmigrations"] = "node-pg-migrate migration history",
        ["__drizzle_migrations"] = "Drizzle migration history",
        ["mikro_orm_migrations"] = "MikroORM migration history",
        ["kysely_migration"] = "Kysely migration history",
        ["kysely_migration_lock"] = "Kysely lock",
    };

    private readonly CompareSettings _settings = settings ?? throw new ArgumentNullException(nameof(settings));
    private readonly SortedDictionary<string, IgnoredTable> _ignored = new(StringComparer.Ordinal);

    /// <summary>The tables left out so far (every snapshot passed through <see cref="Apply"/>), by name.</summary>
    public IReadOnlyList<IgnoredTable> Ignored => _ignored.Values.ToList();

    /// <summary>True when nothing can be left out, so <see cref="Apply"/> returns its input.</summary>
    public bool IsEmpty => !_settings.IgnoreHistoryTables && _settings.IgnoreTables.Count == 0;

    /// <summary><paramref name="schema"/> without the left-out tables, their triggers and the sequences they own.</summary>
    public SchemaSnapshot Apply(SchemaSnapshot schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (IsEmpty)
        {
            return schema;
        }

        var left = new HashSet<ObjectName>();
        foreach (var table in schema.Tables)
        {
            if (Why(table.Name) is { } ignored)
            {
                left.Add(table.Name);
                _ignored.TryAdd(ignored.Table, ignored);
            }
        }

        if (left.Count == 0)
        {
            return schema;
        }

        bool Owned(Sequence s) =>
            left.Contains(s.Name) && s.Kind != SequenceKind.Sequence
            || s.OwnedBy is { } owner && left.Any(t => owner.StartsWith(t + ".", StringComparison.Ordinal));

        return SchemaSnapshot.Create(
            schema.Tables.Where(t => !left.Contains(t.Name)),
            schema.Views,
            schema.Sequences.Where(s => !Owned(s)),
            schema.Enums,
            schema.Triggers.Where(t => !left.Contains(t.Table)),
            schema.Routines);
    }

    private IgnoredTable? Why(ObjectName table)
    {
        var rule = _settings.IgnoreTables.FirstOrDefault(r =>
            string.Equals(r.Table, table.ToString(), StringComparison.Ordinal) || string.Equals(r.Table, table.Name, StringComparison.Ordinal));
        if (rule is not null)
        {
            return new IgnoredTable(table.ToString(), rule.Reason, "scenario");
        }

        return _settings.IgnoreHistoryTables && HistoryTables.TryGetValue(table.Name, out var tool)
            ? new IgnoredTable(table.ToString(), $"{tool}: bookkeeping of the migration tool, which its rollback updates", "history-table")
            : null;
    }
}
