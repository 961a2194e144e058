using RollbackVerifier.Analysis;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Scenarios.Histories;

namespace RollbackVerifier.Tests.Analysis;

/// <summary>What the static rules read in a run: SQL scripts only, in the mode they run in.</summary>
public sealed class StaticRulesInputTests
{
    private static string Repo(params string[] parts) => Path.Combine([TestEngines.RepoRoot, .. parts]);

    [Test]
    public void A_scenario_of_sql_scripts_is_analysed()
    {
        var scenario = ScenarioLoader.Load(Repo("scenarios", "drop-column-readded-empty"), EngineKind.Sqlite);

        var analysis = StaticRulesStep.Analyze(scenario, EngineKind.Sqlite, scenario.Scripts[EngineKind.Sqlite]);

        Assert.That(analysis?.Findings.Select(f => f.Code), Does.Contain("RV514"));
    }

    [Test]
    public void Command_steps_are_not_read_as_sql()
    {
        var scenario = ScenarioLoader.Load(Repo("fixtures", "command-steps", "drop-column-readded-empty"), EngineKind.Sqlite);

        Assert.That(StaticRulesStep.Analyze(scenario, EngineKind.Sqlite, scenario.Scripts[EngineKind.Sqlite]), Is.Null, "a command line is not a SQL script");
    }

    [Test]
    public void A_unit_of_several_migrations_is_not_analysed_but_one_migration_is()
    {
        var folder = Repo("fixtures", "histories", "paired");
        var unit = HistoryPlan.Create(new HistoryOptions(folder) { Engine = EngineKind.Sqlite, Unit = "3..5" }).Scenarios.Single();
        var one = HistoryPlan.Create(new HistoryOptions(folder) { Engine = EngineKind.Sqlite, Migration = "0007" }).Scenarios.Single();

        Assert.Multiple(() =>
        {
            Assert.That(StaticRulesStep.Analyze(unit, EngineKind.Sqlite, unit.Scripts[EngineKind.Sqlite]), Is.Null);
            Assert.That(StaticRulesStep.Analyze(one, EngineKind.Sqlite, one.Scripts[EngineKind.Sqlite])?.Findings.Select(f => f.Code), Does.Contain("RV514"), "0007 drops a column its down re-adds empty");
        });
    }
}
