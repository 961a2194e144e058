using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using RollbackVerifier.NUnit;

namespace RollbackVerifier.Tests.NUnitAdapter;

/// <summary>How the adapter's attribute turns scenario folders into NUnit tests (names, categories, load errors).</summary>
[TestFixture]
public sealed class RollbackScenariosAttributeTests
{
    private string _root = null!;

    [SetUp]
    public void CreateScenarios()
    {
        _root = Directory.CreateTempSubdirectory("rv-adapter-").FullName;
        Scenario("orders-index", "engines: [sqlite, postgres]\ndescription: Adds an index.\n");
        Scenario("broken", "engines: [sqlite]\nunknown_key: 1\n");
        Scenario("generic", null);
        Scenario("team-a/same", "name: same\nengines: [sqlite]\n");
        Scenario("team-b/same", "name: same\nengines: [sqlite]\n");
    }

    [TearDown]
    public void RemoveScenarios() => Directory.Delete(_root, recursive: true);

    [Test]
    public void One_test_per_scenario_and_engine_named_scenario_on_engine_with_the_engine_as_category()
    {
        var tests = Build(new RollbackScenariosAttribute(_root));

        Assert.That(tests.Where(t => t.RunState == RunState.Runnable).Select(t => t.Name), Is.EquivalentTo(new[]
        {
            "orders-index on postgres", "orders-index on sqlite", "team-a/same on sqlite", "team-b/same on sqlite",
        }));
        var postgres = tests.Single(t => t.Name == "orders-index on postgres");
        Assert.Multiple(() =>
        {
            Assert.That(postgres.Properties[PropertyNames.Category], Is.EqualTo(new[] { "postgres" }));
            Assert.That(postgres.Properties.Get(PropertyNames.Description), Is.EqualTo("Adds an index."));
            Assert.That(postgres.Arguments.Single(), Is.TypeOf<RollbackScenarioCase>().With.Property(nameof(RollbackScenarioCase.Engine)).EqualTo(Model.EngineKind.Postgres));
        });
    }

    [Test]
    public void A_folder_that_cannot_be_loaded_is_a_failing_test_with_the_loader_error_not_a_missing_one()
    {
        var tests = Build(new RollbackScenariosAttribute(_root));

        var broken = tests.Single(t => t.Name == "broken (cannot load)");
        Assert.That(broken.RunState, Is.EqualTo(RunState.NotRunnable));
        Assert.That(broken.Properties.Get(PropertyNames.SkipReason), Does.Contain("scenario.yml").And.Contain("unknown_key"));
        var generic = tests.Single(t => t.Name == "generic (cannot load)");
        Assert.That(generic.Properties.Get(PropertyNames.SkipReason), Does.Contain("no engine"));
    }

    [Test]
    public void Engines_narrow_the_run_and_give_generic_scenarios_their_engine()
    {
        var tests = Build(new RollbackScenariosAttribute(_root) { Engines = "sqlite" });

        Assert.That(tests.Where(t => t.RunState == RunState.Runnable).Select(t => t.Name), Is.EquivalentTo(new[]
        {
            "orders-index on sqlite", "generic on sqlite", "team-a/same on sqlite", "team-b/same on sqlite",
        }));
    }

    [Test]
    public void A_missing_folder_or_an_unknown_engine_is_a_failing_test_naming_it()
    {
        var missing = Build(new RollbackScenariosAttribute("no-such-scenarios-folder-xyz")).Single();
        var unknown = Build(new RollbackScenariosAttribute(_root) { Engines = "oracle" }).Single();

        Assert.Multiple(() =>
        {
            Assert.That(missing.RunState, Is.EqualTo(RunState.NotRunnable));
            Assert.That(missing.Properties.Get(PropertyNames.SkipReason), Does.Contain("no-such-scenarios-folder-xyz").And.Contain("not found"));
            Assert.That(unknown.RunState, Is.EqualTo(RunState.NotRunnable));
            Assert.That(unknown.Properties.Get(PropertyNames.SkipReason), Does.Contain("unknown engine 'oracle'"));
        });
    }

    [Test]
    public void A_method_with_the_wrong_signature_is_not_runnable()
    {
        var tests = new RollbackScenariosAttribute(_root).BuildFrom(new MethodWrapper(typeof(Sample), nameof(Sample.WrongSignature)), null).ToList();

        Assert.That(tests, Is.Not.Empty);
        Assert.That(tests, Has.All.Property(nameof(Test.RunState)).EqualTo(RunState.NotRunnable));
    }

    private static List<TestMethod> Build(RollbackScenariosAttribute attribute) =>
        attribute.BuildFrom(new MethodWrapper(typeof(Sample), nameof(Sample.Run)), null).ToList();

    private void Scenario(string relative, string? manifest)
    {
        var folder = Path.Combine(_root, relative);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "forward.sql"), "CREATE INDEX ix ON t (a);\n");
        File.WriteAllText(Path.Combine(folder, "rollback.sql"), "DROP INDEX ix;\n");
        if (manifest is not null)
        {
            File.WriteAllText(Path.Combine(folder, "scenario.yml"), manifest);
        }
    }

    /// <summary>Stand-in for a user's test class.</summary>
    public sealed class Sample
    {
        public static Task Run(RollbackScenarioCase scenario) => scenario.VerifyAsync();

        public static void WrongSignature() => Assert.Fail("a scenario test method takes the scenario case");
    }
}
