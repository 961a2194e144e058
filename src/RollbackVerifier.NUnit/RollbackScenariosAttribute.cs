using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Builders;
using RollbackVerifier.Model;

namespace RollbackVerifier.NUnit;

/// <summary>
/// Makes a test method run once per rollback scenario and engine found under the given folders:
/// <code>
/// [TestFixture]
/// public class MigrationRollbacks
/// {
///     [RollbackScenarios("scenarios")]
///     public Task Rollback_restores_schema_and_data(RollbackScenarioCase scenario) => scenario.VerifyAsync();
/// }
/// </code>
/// Relative folders are looked up from the test binaries' folder upwards, so "scenarios" finds the repository's
/// scenarios folder. Tests are named "scenario on engine", carry the engine as category (filter with
/// <c>dotnet test --filter TestCategory=postgres</c>) and the scenario's description. Containers are shared by the
/// method's tests and removed when they have all run.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RollbackScenariosAttribute : NUnitAttribute, ITestBuilder, ITestAction
{
    private readonly string[] _paths;

    /// <param name="paths">Scenario folders, or folders holding scenario folders.</param>
    public RollbackScenariosAttribute(params string[] paths)
    {
        _paths = paths is { Length: > 0 } ? paths : ["scenarios"];
    }

    /// <summary>Comma-separated engines to run (postgres, mysql, sqlite); default: each scenario's own engines. RV_ENGINES narrows further.</summary>
    public string? Engines { get; set; }

    /// <inheritdoc />
    public ActionTargets Targets => ActionTargets.Suite;

    /// <inheritdoc />
    public IEnumerable<TestMethod> BuildFrom(IMethodInfo method, Test? suite)
    {
        var builder = new NUnitTestCaseBuilder();
        IReadOnlyList<EngineKind>? engines = null;
        string? invalid = null;
        try
        {
            engines = Engines is null ? null : EngineList.Parse(Engines, nameof(Engines));
        }
        catch (ArgumentException ex)
        {
            invalid = ex.Message;
        }

        var planned = invalid is null
            ? RollbackScenarios.Plan(_paths, engines).ToList()
            : [new RollbackScenarios.PlannedCase(null, "RollbackScenarios (invalid)", "invalid", null, invalid)];
        foreach (var plan in planned)
        {
            var parameters = new TestCaseParameters([plan.Case]) { TestName = plan.TestName };
            parameters.Properties.Add(PropertyNames.Category, plan.Category);
            if (plan.Description is { Length: > 0 } description)
            {
                parameters.Properties.Set(PropertyNames.Description, description);
            }

            if (plan.Error is { } error)
            {
                parameters.RunState = RunState.NotRunnable;
                parameters.Properties.Set(PropertyNames.SkipReason, error);
            }

            yield return builder.BuildTestMethod(method, suite, parameters);
        }
    }

    /// <inheritdoc />
    public void BeforeTest(ITest test) => RollbackVerifierSession.Shared.Enter();

    /// <inheritdoc />
    public void AfterTest(ITest test) => RollbackVerifierSession.Shared.LeaveAsync().GetAwaiter().GetResult();
}
