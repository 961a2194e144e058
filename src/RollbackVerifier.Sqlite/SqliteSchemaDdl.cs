using System.Data.Common;
using System.Text;
using RollbackVerifier.Model;
using RollbackVerifier.Preflight;

namespace RollbackVerifier.Sqlite;

/// <summary>SQLite DDL as the database keeps it: the CREATE statements in sqlite_master, tables first, then indexes, views and triggers.</summary>
public sealed partial class SqliteDialect : IDdlDialect
{
    private const string SchemaQuery =
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        + "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid";

    public async Task<string> RenderSchemaAsync(DbConnection connection, SchemaSnapshot schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var ddl = new StringBuilder();
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = SchemaQuery;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    ddl.Append(ddl.Length == 0 ? string.Empty : "\n").Append(reader.GetString(0).TrimEnd().TrimEnd(';')).Append(";\n");
                }
            }
        }

        return ddl.ToString();
    }
}
