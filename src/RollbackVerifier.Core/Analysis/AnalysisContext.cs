using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Schema;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Analysis;

/// <summary>
/// Everything a rule reads: the parsed scripts, the schema model before the migration, after the forward migration
/// and before each rollback statement, and whether each rollback statement runs inside a transaction.
/// </summary>
internal sealed class AnalysisContext
{
    private readonly List<SchemaModel> _rollbackStates = [];
    private readonly List<bool> _inTransaction = [];

    public AnalysisContext(EngineKind engine, ParsedScript? baseline, ParsedScript forward, ParsedScript rollback, ExecutionMode rollbackExecution)
    {
        Engine = engine;
        Baseline = baseline;
        Forward = forward;
        Rollback = rollback;
        RollbackExecution = rollbackExecution;

        var model = new SchemaModel(engine);
        for (var i = 0; i < (baseline?.Statements.Count ?? 0); i++)
        {
            model.Apply(baseline!.Statements[i], Origin.Before, i);
        }

        BeforeMigration = model.Clone();
        for (var i = 0; i < forward.Statements.Count; i++)
        {
            ForwardStates.Add(model.Clone());
            model.Apply(forward.Statements[i], Origin.Forward, i);
        }

        // Session settings do not survive into the rollback's own session.
        model = model.Clone();
        AfterForward = model.Clone();
        var inScriptTransaction = false;
        foreach (var statement in rollback.Statements)
        {
            _rollbackStates.Add(model.Clone());
            switch (statement.Statement.Kind)
            {
                case StatementKind.BeginTransaction:
                    inScriptTransaction = true;
                    break;
                case StatementKind.Commit or StatementKind.Rollback:
                    inScriptTransaction = false;
                    break;
            }

            _inTransaction.Add(rollbackExecution == ExecutionMode.Transaction || inScriptTransaction);
            model.Apply(statement, Origin.Rollback, _rollbackStates.Count - 1);
        }

        AfterRollback = model;
    }

    public EngineKind Engine { get; }

    public ParsedScript? Baseline { get; }

    public ParsedScript Forward { get; }

    public ParsedScript Rollback { get; }

    public ExecutionMode RollbackExecution { get; }

    /// <summary>The schema before the forward migration (from the baseline; empty without one).</summary>
    public SchemaModel BeforeMigration { get; }

    /// <summary>The schema before each forward statement.</summary>
    public List<SchemaModel> ForwardStates { get; } = [];

    /// <summary>The schema after the forward migration, i.e. before the rollback.</summary>
    public SchemaModel AfterForward { get; }

    public SchemaModel AfterRollback { get; }

    /// <summary>The schema just before rollback statement <paramref name="index"/> (0-based).</summary>
    public SchemaModel BeforeRollbackStatement(int index) => _rollbackStates[index];

    /// <summary>True when rollback statement <paramref name="index"/> runs inside a transaction (the script's BEGIN, or the runner's).</summary>
    public bool InTransaction(int index) => _inTransaction[index];

    /// <summary>True when a rollback statement before <paramref name="index"/> that was not fully understood mentions <paramref name="name"/>.</summary>
    public bool RollbackOpaqueBefore(int index, string name) =>
        Rollback.Statements.Take(index).Any(s => s.Understanding != Understanding.Full && s.Mentions(name));

    /// <summary>True when any rollback statement that was not fully understood mentions <paramref name="name"/>.</summary>
    public bool RollbackOpaque(string name) => Rollback.Statements.Any(s => s.Understanding != Understanding.Full && s.Mentions(name));

    /// <summary>True when any forward statement that was not fully understood mentions <paramref name="name"/>.</summary>
    public bool ForwardOpaque(string name) => Forward.Statements.Any(s => s.Understanding != Understanding.Full && s.Mentions(name));

    /// <summary>True when any rollback statement mentions <paramref name="name"/> (names, words, strings and bodies; comments do not count).</summary>
    public bool RollbackMentions(string name) => Rollback.Statements.Any(s => s.Mentions(name));

    /// <summary>Rollback statements with their 0-based index.</summary>
    public IEnumerable<(ParsedStatement Statement, int Index)> RollbackStatements => Rollback.Statements.Select((s, i) => (s, i));
}
