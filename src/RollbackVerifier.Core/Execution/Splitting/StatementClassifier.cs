namespace RollbackVerifier.Execution.Splitting;

/// <summary>Transaction-control classification from a statement's leading words, shared by the dialects.</summary>
internal static class StatementClassifier
{
    /// <param name="words">Leading words, upper case, comments, quoted names and symbols left out.</param>
    public static StatementKind Classify(IReadOnlyList<string> words)
    {
        string W(int i) => i < words.Count ? words[i] : string.Empty;

        switch (W(0))
        {
            // BEGIN [TRANSACTION|WORK]; PostgreSQL transaction modes; SQLite DEFERRED/IMMEDIATE/EXCLUSIVE.
            // BEGIN ATOMIC (PostgreSQL function bodies) and BEGIN NOT ATOMIC (MariaDB blocks) are not transactions.
            case "BEGIN" when W(1) is "" or "TRANSACTION" or "WORK" or "DEFERRED" or "IMMEDIATE" or "EXCLUSIVE"
                or "ISOLATION" or "READ" or "DEFERRABLE":
            case "BEGIN" when W(1) == "NOT" && W(2) == "DEFERRABLE":
            case "START" when W(1) == "TRANSACTION":
                return StatementKind.BeginTransaction;

            // COMMIT PREPARED / ROLLBACK PREPARED (PostgreSQL two-phase commit) act on another transaction.
            case "COMMIT" when W(1) != "PREPARED":
            case "END" when W(1) is "" or "TRANSACTION" or "WORK":
                return StatementKind.Commit;

            case "ROLLBACK" or "ABORT" when W(1) is not ("TO" or "PREPARED") && !(W(1) is "WORK" or "TRANSACTION" && W(2) == "TO"):
                return StatementKind.Rollback;

            default:
                return StatementKind.Regular;
        }
    }

    /// <summary>True when <paramref name="first"/> is immediately followed by <paramref name="second"/> among the words.</summary>
    public static bool ContainsSequence(IReadOnlyList<string> words, string first, string second)
    {
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (words[i] == first && words[i + 1] == second)
            {
                return true;
            }
        }

        return false;
    }
}
