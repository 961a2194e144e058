using System.Globalization;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace RollbackVerifier.MySql;

/// <summary>
/// Copies one database into another on the same server with SQL, the way mysqldump | mysql would but without leaving
/// the server: the default character set; tables from SHOW CREATE TABLE (foreign keys, checks, AUTO_INCREMENT
/// counters included) filled with INSERT ... SELECT of every stored column under FOREIGN_KEY_CHECKS=0 and
/// NO_AUTO_VALUE_ON_ZERO; MariaDB sequences with their position; then routines, views (in dependency order) and
/// triggers from their SHOW CREATE text under their own sql_mode. DEFINER clauses are dropped so a non-root account
/// can make the copy. Events are not copied (a copy must not fire them).
/// </summary>
internal static partial class MySqlCloner
{
    public static async Task CopyAsync(MySqlConnection connection, string source, string target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await ExecuteAsync(connection, "SET SESSION FOREIGN_KEY_CHECKS = 0, SESSION UNIQUE_CHECKS = 0, SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'", ct).ConfigureAwait(false);

        var charset = await RowsAsync(connection, "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @p0", ct, source).ConfigureAwait(false);
        if (charset.Count == 1)
        {
            await ExecuteAsync(connection, $"ALTER DATABASE {Q(target)} CHARACTER SET {charset[0][0]} COLLATE {charset[0][1]}", ct).ConfigureAwait(false);
        }

        var objects = await RowsAsync(connection, "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = @p0 ORDER BY TABLE_NAME", ct, source).ConfigureAwait(false);
        var tables = objects.Where(o => o[1] is "BASE TABLE" && o[0] != MySqlServer.MarkerTable).Select(o => o[0]!).ToList();
        var views = objects.Where(o => o[1] is "VIEW" or "SYSTEM VIEW").Select(o => o[0]!).ToList();
        var sequences = objects.Where(o => o[1] is "SEQUENCE").Select(o => o[0]!).ToList();

        // SHOW CREATE renders names of the current database unqualified, so both sides are read and written from it.
        await connection.ChangeDatabaseAsync(source, ct).ConfigureAwait(false);
        var tableDefinitions = new List<(string Name, string Sql)>();
        foreach (var table in tables)
        {
            tableDefinitions.Add((table, (await RowsAsync(connection, $"SHOW CREATE TABLE {Q(table)}", ct).ConfigureAwait(false))[0][1]!));
        }

        var sequenceDefinitions = new List<(string Name, string Sql, string? Next)>();
        foreach (var sequence in sequences)
        {
            var sql = (await RowsAsync(connection, $"SHOW CREATE SEQUENCE {Q(sequence)}", ct).ConfigureAwait(false))[0][1]!;
            var next = (await RowsAsync(connection, $"SELECT next_not_cached_value FROM {Q(sequence)}", ct).ConfigureAwait(false))[0][0];
            sequenceDefinitions.Add((sequence, sql, next));
        }

        var routines = new List<(string SqlMode, string Sql)>();
        foreach (var routine in await RowsAsync(connection, "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = @p0 ORDER BY ROUTINE_NAME", ct, source).ConfigureAwait(false))
        {
            var row = (await RowsAsync(connection, $"SHOW CREATE {routine[1]} {Q(routine[0]!)}", ct).ConfigureAwait(false))[0];
            routines.Add((row[1] ?? string.Empty, row[2] ?? throw new MySqlClonerException($"no definition visible for {routine[1]} {routine[0]} (missing privileges?)")));
        }

        var viewDefinitions = new List<string>();
        foreach (var view in views)
        {
            viewDefinitions.Add((await RowsAsync(connection, $"SHOW CREATE VIEW {Q(view)}", ct).ConfigureAwait(false))[0][1]!);
        }

        var triggers = new List<(string SqlMode, string Sql)>();
        var triggerOrder = "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = @p0 ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER";
        foreach (var trigger in await RowsAsync(connection, triggerOrder, ct, source).ConfigureAwait(false))
        {
            var row = (await RowsAsync(connection, $"SHOW CREATE TRIGGER {Q(trigger[0]!)}", ct).ConfigureAwait(false))[0];
            triggers.Add((row[1] ?? string.Empty, row[2]!));
        }

        await connection.ChangeDatabaseAsync(target, ct).ConfigureAwait(false);
        foreach (var (name, sql) in tableDefinitions)
        {
            await ExecuteAsync(connection, sql, ct).ConfigureAwait(false);
            var columns = await RowsAsync(
                connection,
                "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1 AND (GENERATION_EXPRESSION IS NULL OR GENERATION_EXPRESSION = '') ORDER BY ORDINAL_POSITION",
                ct,
                source,
                name).ConfigureAwait(false);
            var list = string.Join(", ", columns.Select(c => Q(c[0]!)));
            await ExecuteAsync(connection, $"INSERT INTO {Q(target)}.{Q(name)} ({list}) SELECT {list} FROM {Q(source)}.{Q(name)}", ct).ConfigureAwait(false);
        }

        foreach (var (name, sql, next) in sequenceDefinitions)
        {
            await ExecuteAsync(connection, sql, ct).ConfigureAwait(false);
            if (next is not null)
            {
                await ExecuteAsync(connection, $"SELECT SETVAL({Q(name)}, {long.Parse(next, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)}, 0)", ct).ConfigureAwait(false);
            }
        }

        foreach (var (mode, sql) in routines)
        {
            await ExecuteWithModeAsync(connection, mode, WithoutDefiner(sql), ct).ConfigureAwait(false);
        }

        await CreateViewsAsync(connection, viewDefinitions.Select(WithoutDefiner).ToList(), ct).ConfigureAwait(false);
        foreach (var (mode, sql) in triggers)
        {
            await ExecuteWithModeAsync(connection, mode, WithoutDefiner(sql), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Views may select from views: create what can be created, repeat until all are or no progress is made.</summary>
    private static async Task CreateViewsAsync(MySqlConnection connection, List<string> pending, CancellationToken ct)
    {
        while (pending.Count > 0)
        {
            var failed = new List<(string Sql, MySqlException Error)>();
            foreach (var sql in pending)
            {
                try
                {
                    await ExecuteAsync(connection, sql, ct).ConfigureAwait(false);
                }
                catch (MySqlException ex)
                {
                    failed.Add((sql, ex));
                }
            }

            if (failed.Count == pending.Count)
            {
                throw new MySqlClonerException($"cannot create view: {failed[0].Error.Message}");
            }

            pending = failed.Select(f => f.Sql).ToList();
        }
    }

    private static async Task ExecuteWithModeAsync(MySqlConnection connection, string sqlMode, string sql, CancellationToken ct)
    {
        var command = new MySqlCommand("SET SESSION sql_mode = @p0", connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("@p0", sqlMode);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        try
        {
            await ExecuteAsync(connection, sql, ct).ConfigureAwait(false);
        }
        finally
        {
            await ExecuteAsync(connection, "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'", ct).ConfigureAwait(false);
        }
    }

    private static string WithoutDefiner(string sql) => Definer().Replace(sql, " ", 1);

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken ct)
    {
        var command = new MySqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task<List<string?[]>> RowsAsync(MySqlConnection connection, string sql, CancellationToken ct, params string[] parameters)
    {
        var rows = new List<string?[]>();
        var command = new MySqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters.AddWithValue("@p" + i.ToString(CultureInfo.InvariantCulture), parameters[i]);
            }

            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var row = new string?[reader.FieldCount];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
                    }

                    rows.Add(row);
                }
            }
        }

        return rows;
    }

    private static string Q(string identifier) => MySqlDialect.Quote(identifier);

    [GeneratedRegex(@"\sDEFINER\s*=\s*(`[^`]*`|'[^']*'|\S+?)@(`[^`]*`|'[^']*'|\S+)\s", RegexOptions.IgnoreCase)]
    private static partial Regex Definer();
}

/// <summary>A database could not be copied (an object the copy cannot recreate).</summary>
internal sealed class MySqlClonerException(string message) : RollbackVerifier.RollbackVerifierException(message);
