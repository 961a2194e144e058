using System.Data.Common;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.Seeding;

/// <summary>Parent keys read from the database, in key order, for the foreign keys of the table being seeded.</summary>
internal sealed class KeyPools(IDialect dialect, DbConnection connection, SchemaSnapshot schema) : IKeyPools
{
    private readonly Dictionary<string, IReadOnlyList<object?[]>> _pools = new(StringComparer.Ordinal);

    public IReadOnlyList<object?[]> Get(ForeignKey key) => _pools.TryGetValue(key.Shape, out var pool) ? pool : [];

    /// <summary>Reads (again) the parent keys of <paramref name="keys"/>: parents may have grown since the last table.</summary>
    public async Task LoadAsync(IEnumerable<ForeignKey> keys, CancellationToken ct)
    {
        foreach (var key in keys)
        {
            _pools[key.Shape] = schema.FindTable(key.ReferencedTable) is null
                ? []
                : await ReadAsync(dialect, connection, key.ReferencedTable, key.ReferencedColumns, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the non-NULL values of <paramref name="columns"/> from every row, ordered by them.</summary>
    public static async Task<IReadOnlyList<object?[]>> ReadAsync(
        IDialect dialect, DbConnection connection, ObjectName table, IReadOnlyList<string> columns, CancellationToken ct, IReadOnlyList<string>? whereNull = null)
    {
        var list = string.Join(", ", columns.Select(dialect.QuoteIdentifier));
        var conditions = columns.Select(c => dialect.QuoteIdentifier(c) + " IS NOT NULL").Concat((whereNull ?? []).Select(c => dialect.QuoteIdentifier(c) + " IS NULL"));
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = $"SELECT {list} FROM {dialect.QuoteName(table)} WHERE {string.Join(" AND ", conditions)} ORDER BY {list}";
            var rows = new List<object?[]>();
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var values = new object?[columns.Count];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = SeedValues.Normalize(reader.GetValue(i));
                    }

                    rows.Add(values);
                }
            }

            // ORDER BY on text follows the server's collation, which differs between servers: sort text keys by
            // ordinal comparison so the same seed picks the same parents everywhere.
            if (rows.Count > 0 && rows[0].Any(v => v is string))
            {
                rows.Sort((a, b) =>
                {
                    for (var i = 0; i < a.Length; i++)
                    {
                        var order = string.CompareOrdinal(CanonicalValue.Format(a[i]), CanonicalValue.Format(b[i]));
                        if (order != 0)
                        {
                            return order;
                        }
                    }

                    return 0;
                });
            }

            return rows;
        }
    }
}
