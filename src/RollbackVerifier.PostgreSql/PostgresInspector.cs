using System.Globalization;
using System.Text;
using Npgsql;
using RollbackVerifier.Model;

namespace RollbackVerifier.PostgreSql;

/// <summary>
/// Reads a database's schema from the catalogs: all schemas but pg_catalog, information_schema, pg_toast* and pg_temp*;
/// objects owned by an extension are left out. The catalog queries (Sql/*.sql) run as one batch, in one implicit
/// transaction; sequence positions take one more round trip. Engine ids (table oid, attnum) and sequence positions
/// are carried as non-compared values, so two snapshots of the same schema compare equal.
/// </summary>
/// <remarks>
/// Modelling choices: exclusion constraints are reported as indexes (their key expressions read "column WITH
/// operator"); a materialized view's indexes are appended to its definition; NOT VALID constraints are reported like
/// valid ones (they are still enforced for new rows; validation state has no place in the model).
/// </remarks>
public static class PostgresInspector
{
    private static readonly string[] QueryFiles =
        ["tables.sql", "columns.sql", "constraints.sql", "indexes.sql", "sequences.sql", "views.sql", "triggers.sql", "enums.sql", "routines.sql"];

    /// <summary>Inspects the database <paramref name="connection"/> is open on (a connection with the reading session settings).</summary>
    public static async Task<SchemaSnapshot> InspectAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = new List<TableRow>();
        var columns = new List<(long TableOid, Column Column)>();
        var constraints = new List<ConstraintRow>();
        var indexes = new List<(long TableOid, TableIndex Index)>();
        var sequences = new List<SequenceRow>();
        var views = new List<View>();
        var triggers = new List<Trigger>();
        var enums = new List<EnumType>();
        var routines = new List<Routine>();

        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            foreach (var file in QueryFiles)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(ForVersion(SqlResources.Load(file), connection.PostgreSqlVersion.Major)));
            }

            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    tables.Add(new TableRow(reader.GetInt64(0), new ObjectName(reader.GetString(1), reader.GetString(2))));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    columns.Add((reader.GetInt64(0), ReadColumn(reader)));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    constraints.Add(ReadConstraint(reader));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    indexes.Add((reader.GetInt64(0), ReadIndex(reader)));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    sequences.Add(ReadSequence(reader));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    views.Add(ReadView(reader));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    triggers.Add(ReadTrigger(reader));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    enums.Add(new EnumType(new ObjectName(reader.GetString(0), reader.GetString(1)), reader.GetFieldValue<string[]>(2).ToValueList()));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    routines.Add(new Routine(new ObjectName(reader.GetString(0), reader.GetString(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4).TrimEnd()));
                }
            }
        }

        var positions = await ReadSequencePositionsAsync(connection, sequences, cancellationToken).ConfigureAwait(false);

        var columnsByTable = columns.ToLookup(c => c.TableOid, c => c.Column);
        var constraintsByTable = constraints.ToLookup(c => c.TableOid);
        var indexesByTable = indexes.ToLookup(i => i.TableOid, i => i.Index);
        var snapshotTables = tables.Select(t =>
        {
            var tableConstraints = constraintsByTable[t.Oid].ToList();
            var pk = tableConstraints.FirstOrDefault(c => c.Type == "p");
            return Table.Create(
                t.Name,
                columnsByTable[t.Oid],
                pk is null ? null : new PrimaryKey(pk.Name, pk.Columns.ToValueList()),
                tableConstraints.Where(c => c.Type == "f").Select(c => new ForeignKey(
                    c.Name,
                    c.Columns.ToValueList(),
                    new ObjectName(c.ReferencedSchema!, c.ReferencedTable!),
                    c.ReferencedColumns.ToValueList(),
                    ReferentialAction(c.OnDelete),
                    ReferentialAction(c.OnUpdate),
                    c.IsDeferrable,
                    c.IsInitiallyDeferred,
                    c.IsEnforced)),
                tableConstraints.Where(c => c.Type == "u").Select(c => new UniqueConstraint(c.Name, c.Columns.ToValueList(), c.NullsNotDistinct)),
                tableConstraints.Where(c => c.Type == "c").Select(c => new CheckConstraint(c.Name, c.CheckExpression ?? string.Empty, c.IsEnforced)),
                indexesByTable[t.Oid],
                t.Oid);
        });

        return SchemaSnapshot.Create(
            snapshotTables,
            views,
            sequences.Select(s => new Sequence(
                s.Name,
                SequenceKind.Sequence,
                s.DataType,
                s.Start,
                s.Increment,
                s.Min,
                s.Max,
                s.Cycle,
                s.OwnedBy,
                positions.TryGetValue(s.Oid, out var position) ? NextValue(s, position) : null)),
            enums,
            triggers,
            routines);
    }

    /// <summary>Fills in the catalog columns that only exist from some server version on.</summary>
    private static string ForVersion(string sql, int major) => sql
        .Replace("{{nulls_not_distinct}}", major >= 15 ? "ix.indnullsnotdistinct" : "false", StringComparison.Ordinal)
        .Replace("{{enforced}}", major >= 18 ? "con.conenforced" : "true", StringComparison.Ordinal);

    private static Column ReadColumn(NpgsqlDataReader reader)
    {
        var baseName = reader.GetString(4);
        var baseSchema = reader.GetString(5);
        var typeModifier = reader.GetInt32(8);
        var identity = reader.GetString(10);
        var generated = reader.GetString(11);
        var expression = reader.IsDBNull(12) ? null : reader.GetString(12);
        var isSerial = reader.GetBoolean(15);
        var (length, precision, scale) = PostgresTypes.Sizes(baseName, baseSchema, typeModifier);
        var isGenerated = generated.Length > 0;
        return new Column(
            Name: reader.GetString(2),
            Position: reader.GetInt32(16),
            DataType: reader.GetString(3),
            Family: PostgresTypes.Family(baseName, baseSchema, reader.GetString(6), reader.GetString(7)),
            Length: length,
            Precision: precision,
            Scale: scale,
            IsNullable: !reader.GetBoolean(9),
            Default: isGenerated ? null : expression,
            Identity: identity switch
            {
                "a" => IdentityKind.Always,
                "d" => IdentityKind.ByDefault,
                _ when isSerial => IdentityKind.AutoIncrement,
                _ => IdentityKind.None,
            },
            GeneratedExpression: isGenerated ? expression : null,
            Collation: reader.IsDBNull(13) ? null : reader.GetString(13),
            EnumValues: reader.IsDBNull(14) ? ValueList<string>.Empty : reader.GetFieldValue<string[]>(14).ToValueList(),
            EngineId: reader.GetInt32(1));
    }

    private static ConstraintRow ReadConstraint(NpgsqlDataReader reader) => new(
        TableOid: reader.GetInt64(0),
        Name: reader.GetString(1),
        Type: reader.GetString(2),
        Columns: reader.GetFieldValue<string[]>(3),
        ReferencedSchema: reader.IsDBNull(4) ? null : reader.GetString(4),
        ReferencedTable: reader.IsDBNull(5) ? null : reader.GetString(5),
        ReferencedColumns: reader.GetFieldValue<string[]>(6),
        OnDelete: reader.GetString(7),
        OnUpdate: reader.GetString(8),
        IsDeferrable: reader.GetBoolean(9),
        IsInitiallyDeferred: reader.GetBoolean(10),
        CheckExpression: reader.IsDBNull(12) ? null : reader.GetString(12),
        NullsNotDistinct: reader.GetBoolean(13),
        IsEnforced: reader.GetBoolean(14));

    private static TableIndex ReadIndex(NpgsqlDataReader reader)
    {
        var expressions = reader.GetFieldValue<string[]>(2);
        var isExpression = reader.GetFieldValue<bool[]>(3);
        var descending = reader.GetFieldValue<bool[]>(4);
        var nullsFirst = reader.GetFieldValue<bool[]>(5);
        var collations = reader.GetFieldValue<string?[]>(6);
        var exclusionOperators = reader.GetFieldValue<string[]>(8);
        var keys = new List<IndexKey>(expressions.Length);
        for (var k = 0; k < expressions.Length; k++)
        {
            var expression = k < exclusionOperators.Length ? $"{expressions[k]} WITH {exclusionOperators[k]}" : expressions[k];

            // Only orders that differ from the default for the direction are reported (ASC NULLS LAST, DESC NULLS FIRST).
            string? nullsOrder = nullsFirst[k] == descending[k] ? null : nullsFirst[k] ? "NULLS FIRST" : "NULLS LAST";
            keys.Add(new IndexKey(expression, isExpression[k], descending[k], nullsOrder, collations[k]));
        }

        return new TableIndex(
            Name: reader.GetString(1),
            Keys: keys.ToValueList(),
            IncludedColumns: reader.GetFieldValue<string[]>(7).ToValueList(),
            IsUnique: reader.GetBoolean(9),
            Predicate: reader.IsDBNull(10) ? null : reader.GetString(10),
            Method: reader.GetString(11),
            IsValid: reader.GetBoolean(12),
            Definition: reader.GetString(13));
    }

    private static SequenceRow ReadSequence(NpgsqlDataReader reader) => new(
        Oid: reader.GetInt64(0),
        Name: new ObjectName(reader.GetString(1), reader.GetString(2)),
        DataType: reader.GetString(3),
        Start: reader.GetInt64(4),
        Increment: reader.GetInt64(5),
        Min: reader.GetInt64(6),
        Max: reader.GetInt64(7),
        Cycle: reader.GetBoolean(8),
        OwnedBy: reader.IsDBNull(9) ? null : $"{new ObjectName(reader.GetString(9), reader.GetString(10))}.{reader.GetString(11)}");

    private static View ReadView(NpgsqlDataReader reader)
    {
        var definition = new StringBuilder(reader.GetString(3).Trim());
        foreach (var index in reader.GetFieldValue<string[]>(4))
        {
            definition.Append("\n-- index: ").Append(index);
        }

        return new View(new ObjectName(reader.GetString(0), reader.GetString(1)), definition.ToString(), reader.GetBoolean(2));
    }

    private static Trigger ReadTrigger(NpgsqlDataReader reader)
    {
        // pg_trigger.tgtype bits (catalog/pg_trigger.h).
        const int Before = 1 << 1, Insert = 1 << 2, Delete = 1 << 3, Update = 1 << 4, Truncate = 1 << 5, Instead = 1 << 6;
        var type = reader.GetInt32(3);
        var timing = (type & Instead) != 0 ? "INSTEAD OF" : (type & Before) != 0 ? "BEFORE" : "AFTER";
        var events = new List<string>(4);
        if ((type & Insert) != 0)
        {
            events.Add("INSERT");
        }

        if ((type & Update) != 0)
        {
            events.Add("UPDATE");
        }

        if ((type & Delete) != 0)
        {
            events.Add("DELETE");
        }

        if ((type & Truncate) != 0)
        {
            events.Add("TRUNCATE");
        }

        return new Trigger(
            new ObjectName(reader.GetString(0), reader.GetString(1)),
            reader.GetString(2),
            timing,
            string.Join(" OR ", events),
            reader.GetString(5),
            IsEnabled: reader.GetString(4) != "D");
    }

    private static string ReferentialAction(string code) => code switch
    {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => code,
    };

    /// <summary>
    /// last_value and is_called of every sequence, read from the sequences themselves in one UNION ALL query
    /// (pg_sequences.last_value is null whenever is_called is false, which hides setval(..., false) and RESTART).
    /// </summary>
    private static async Task<Dictionary<long, (long LastValue, bool IsCalled)>> ReadSequencePositionsAsync(
        NpgsqlConnection connection, List<SequenceRow> sequences, CancellationToken cancellationToken)
    {
        var positions = new Dictionary<long, (long, bool)>();
        if (sequences.Count == 0)
        {
            return positions;
        }

        var sql = string.Join(
            "\nUNION ALL\n",
            sequences.Select(s => string.Create(CultureInfo.InvariantCulture, $"SELECT {s.Oid}::bigint, last_value, is_called FROM {Quote(s.Name)}")));
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    positions[reader.GetInt64(0)] = (reader.GetInt64(1), reader.GetBoolean(2));
                }
            }
        }

        return positions;
    }

    /// <summary>What nextval would return: last_value itself before the first call, else one increment on (wrapping when CYCLE).</summary>
    private static long? NextValue(SequenceRow sequence, (long LastValue, bool IsCalled) position)
    {
        if (!position.IsCalled)
        {
            return position.LastValue;
        }

        var next = (Int128)position.LastValue + sequence.Increment;
        if (next > sequence.Max || next < sequence.Min)
        {
            return sequence.Cycle ? (sequence.Increment > 0 ? sequence.Min : sequence.Max) : null;
        }

        return (long)next;
    }

    private static string Quote(ObjectName name) => PostgresDialect.Quote(name.Schema) + "." + PostgresDialect.Quote(name.Name);

    private sealed record TableRow(long Oid, ObjectName Name);

    private sealed record ConstraintRow(
        long TableOid,
        string Name,
        string Type,
        string[] Columns,
        string? ReferencedSchema,
        string? ReferencedTable,
        string[] ReferencedColumns,
        string OnDelete,
        string OnUpdate,
        bool IsDeferrable,
        bool IsInitiallyDeferred,
        string? CheckExpression,
        bool NullsNotDistinct,
        bool IsEnforced);

    private sealed record SequenceRow(
        long Oid, ObjectName Name, string DataType, long Start, long Increment, long Min, long Max, bool Cycle, string? OwnedBy);
}
