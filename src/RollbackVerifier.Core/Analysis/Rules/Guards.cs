using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Syntax;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// Whether the rollback, before a statement, checks or repairs the rows that statement would refuse: a DO block or
/// other body that mentions the table or column, a temporary CHECK constraint (the MySQL guard idiom), an UPDATE that
/// rewrites the column, a DELETE from the table, or a statement the parser did not understand that mentions them
/// (no conclusion from what is not understood).
/// </summary>
internal static class Guards
{
    public static bool Before(AnalysisContext context, int index, SqlObjectRef table, IReadOnlyCollection<SqlName> columns, bool nullCleanupOnly = false)
    {
        foreach (var (statement, i) in context.RollbackStatements.Take(index))
        {
            _ = i;
            if (statement.Understanding != Understanding.Full && (statement.Mentions(table.Name.Text) || columns.Any(c => statement.Mentions(c.Text))))
            {
                return true;
            }

            foreach (var effect in statement.Effects)
            {
                switch (effect)
                {
                    case AnonymousBlock block when block.Words.Contains(table.Name.Key) || columns.Any(c => block.Words.Contains(c.Key)):
                        return true;
                    case AddConstraint { Constraint.Kind: ConstraintKind.Check } check when check.Table.Matches(table) && (columns.Count == 0 || columns.Any(c => statement.Mentions(c.Text))):
                        return true;
                    case DataChange { Kind: DataChangeKind.Update } update when update.Table.Matches(table) && (columns.Count == 0 || update.Columns.Any(columns.Contains)):
                        if (!nullCleanupOnly || (!update.HasWhere && !update.HasJoin) || statement.Mentions("null") || statement.Mentions("coalesce") || statement.Mentions("ifnull") || statement.Mentions("nvl"))
                        {
                            return true;
                        }

                        break;
                    case DataChange { Kind: DataChangeKind.Delete } delete when delete.Table.Matches(table) && (columns.Count == 0 || columns.Any(c => statement.Mentions(c.Text))):
                        return true;
                }
            }
        }

        return false;
    }
}
