using RollbackVerifier.NUnit;

namespace RollbackVerifier.Tests.EndToEnd;

/// <summary>
/// Every scenario under scenarios/ (the library users read) and fixtures/e2e/ (the harness's own regression inputs) runs on
/// every engine it names and must meet its own expectation (verdict and finding codes in scenario.yml). The tests are
/// built by the NUnit adapter users install (RollbackVerifier.NUnit), so this is also its dogfood: names, categories,
/// failure messages, report attachments and container cleanup are the ones users get.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class ExampleScenarioTests
{
    [RollbackScenarios("scenarios")]
    public Task Library_scenario_meets_its_expectation(RollbackScenarioCase scenario) => scenario.VerifyAsync();

    [RollbackScenarios("fixtures/e2e")]
    public Task Fixture_meets_its_expectation(RollbackScenarioCase scenario) => scenario.VerifyAsync();
}
