using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using static RollbackVerifier.Tests.RunAnalysis.AnalysisScenario;

namespace RollbackVerifier.Tests.RunAnalysis;

/// <summary>
/// The atomicity analysis and the executor's injected failure on SQLite (in-process, so these run everywhere): a stop
/// after a statement leaves what a real failure of the next one would.
/// </summary>
public sealed class SqliteAtomicityTests
{
    private const EngineKind Lite = EngineKind.Sqlite;

    private const string Orders = "CREATE TABLE orders (id INTEGER PRIMARY KEY, total NUMERIC NOT NULL);";

    private const string Forward = "ALTER TABLE orders ADD COLUMN note TEXT;\nALTER TABLE orders ADD COLUMN channel TEXT;\nCREATE INDEX orders_total_idx ON orders (total);";

    private const string Rollback = "DROP INDEX orders_total_idx;\nALTER TABLE orders DROP COLUMN channel;\nALTER TABLE orders DROP COLUMN note;";

    [Test]
    public async Task A_rollback_without_a_transaction_is_half_applied_after_each_statement_but_the_last()
    {
        var result = await RunAsync(Build(Lite, Orders, Forward, Rollback), Lite);

        var atomicity = result.RunAnalysis!.Atomicity!;
        Assert.Multiple(() =>
        {
            Assert.That(atomicity.CloneMethod, Does.Contain("backup API"));
            Assert.That(atomicity.Points.Select(p => p.State), Is.EqualTo(new[] { AtomicityState.HalfApplied, AtomicityState.HalfApplied }), () => Describe(result));
            Assert.That(atomicity.Points[0].Applied, Has.Exactly(1).Items.And.Some.Contains("orders_total_idx"));
            Assert.That(atomicity.Points[1].Remaining, Has.Exactly(1).Items.And.Some.Contains("orders.note"));
            Assert.That(Codes(result).Count(c => c == "RV610"), Is.EqualTo(2));
            Assert.That(result.RunAnalysis.Statements, Is.Empty, "SQLite has no lock observer");
        });
    }

    [Test]
    public async Task The_same_rollback_in_a_transaction_comes_out_clean()
    {
        var result = await RunAsync(Build(Lite, Orders, Forward, Rollback, ExecutionMode.Transaction), Lite);

        Assert.Multiple(() =>
        {
            Assert.That(result.RunAnalysis!.Atomicity!.Points.Select(p => p.State), Is.EqualTo(new[] { AtomicityState.Unchanged, AtomicityState.Unchanged }), () => Describe(result));
            Assert.That(Codes(result), Has.No.Member("RV610"));
        });
    }

    [Test]
    public async Task Atomicity_off_runs_no_probe()
    {
        var result = await new ScenarioRunner().RunAsync(Build(Lite, Orders, Forward, Rollback, analysis: RunAnalysisSettings.Default with { Atomicity = AtomicityMode.Off }), Lite, TestEngines.Get(Lite), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.RunAnalysis?.Atomicity, Is.Null);
            Assert.That(Codes(result), Has.No.Member("RV610"));
        });
    }

    [TestCase("DROP INDEX orders_total_idx;\nALTER TABLE orders DROP COLUMN channel;", ExecutionMode.Autocommit, true)]
    [TestCase("BEGIN;\nDROP INDEX orders_total_idx;\nALTER TABLE orders DROP COLUMN channel;\nCOMMIT;", ExecutionMode.Autocommit, false)]
    [TestCase("DROP INDEX orders_total_idx;\nALTER TABLE orders DROP COLUMN channel;", ExecutionMode.Transaction, false)]
    public async Task An_injected_failure_after_a_statement_leaves_what_a_real_failure_would(string script, ExecutionMode mode, bool indexDropped)
    {
        var engine = TestEngines.Get(Lite);
        var database = await engine.CreateDatabaseAsync(new DatabaseRequest("inject", IsolationMode.Database), CancellationToken.None);
        await using (database)
        {
            foreach (var sql in new[] { Orders, Forward })
            {
                Assert.That((await ScriptExecutor.RunAsync(database, Phase.Forward, new ScriptSource("setup.sql", sql), ExecutionMode.Autocommit, ScenarioTimeouts.Default, CancellationToken.None)).Succeeded, Is.True);
            }

            var drop = script.StartsWith("BEGIN", StringComparison.Ordinal) ? 2 : 1;
            var outcome = await ScriptExecutor.RunAsync(database, Phase.Rollback, new ScriptSource("rollback.sql", script), mode, ScenarioTimeouts.Default, CancellationToken.None, new ExecutionOptions(null, drop));
            var schema = await database.InspectSchemaAsync(CancellationToken.None);
            var orders = schema.FindTable(ObjectName.Unqualified("orders"))!;
            Assert.Multiple(() =>
            {
                Assert.That(outcome.Failure?.ErrorCode, Is.EqualTo(ExecutionOptions.InjectedErrorCode));
                Assert.That(outcome.Failure?.Number, Is.EqualTo(drop));
                Assert.That(outcome.Committed, Is.EqualTo(indexDropped ? 1 : 0));
                Assert.That(orders.Indexes.Any(i => i.Name == "orders_total_idx"), Is.EqualTo(!indexDropped));
                Assert.That(orders.FindColumn("channel"), Is.Not.Null, "the statement after the stop never ran");
            });
        }
    }
}
