using System.Data.Common;
using System.Text;
using RollbackVerifier.Model;
using RollbackVerifier.Preflight;

namespace RollbackVerifier.MySql;

/// <summary>
/// MySQL / MariaDB DDL as the server renders it (SHOW CREATE TABLE / VIEW / TRIGGER / PROCEDURE / FUNCTION), the form
/// mysqldump writes: foreign key checks off while the tables are created, compound statements between DELIMITER lines.
/// </summary>
public sealed partial class MySqlDialect : IDdlDialect
{
    public async Task<string> RenderSchemaAsync(DbConnection connection, SchemaSnapshot schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(schema);
        var ddl = new StringBuilder("SET FOREIGN_KEY_CHECKS = 0;\n");
        foreach (var table in schema.Tables)
        {
            ddl.Append('\n').Append(await ShowAsync(connection, $"SHOW CREATE TABLE {Quote(table.Name.Name)}", 1, cancellationToken).ConfigureAwait(false)).Append(";\n");
        }

        ddl.Append("\nSET FOREIGN_KEY_CHECKS = 1;\n");
        var pending = schema.Views.ToList();
        while (pending.Count > 0)
        {
            // Views after the views they name.
            var view = pending.FirstOrDefault(v => !pending.Any(o => o != v && SchemaNames.Mentions(v.Definition, o.Name.Name))) ?? pending[0];
            pending.Remove(view);
            ddl.Append('\n').Append(await ShowAsync(connection, $"SHOW CREATE VIEW {Quote(view.Name.Name)}", 1, cancellationToken).ConfigureAwait(false)).Append(";\n");
        }

        var compound = new List<string>();
        foreach (var routine in schema.Routines)
        {
            var kind = routine.Kind.Equals("function", StringComparison.OrdinalIgnoreCase) ? "FUNCTION" : "PROCEDURE";
            compound.Add(await ShowAsync(connection, $"SHOW CREATE {kind} {Quote(routine.Name.Name)}", 2, cancellationToken).ConfigureAwait(false));
        }

        foreach (var trigger in schema.Triggers)
        {
            compound.Add(await ShowAsync(connection, $"SHOW CREATE TRIGGER {QuoteIdentifier(trigger.Name)}", 2, cancellationToken).ConfigureAwait(false));
        }

        if (compound.Count > 0)
        {
            ddl.Append("\nDELIMITER ;;\n");
            foreach (var statement in compound)
            {
                ddl.Append('\n').Append(statement).Append(";;\n");
            }

            ddl.Append("\nDELIMITER ;\n");
        }

        return ddl.ToString();
    }

    private static async Task<string> ShowAsync(DbConnection connection, string sql, int column, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(ct).ConfigureAwait(false) ? reader.GetString(column) : string.Empty;
            }
        }
    }
}
