using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.NUnit;

/// <summary>
/// Finds scenario folders and turns them into test cases: one per scenario and engine. Used by
/// <see cref="RollbackScenariosAttribute"/>.
/// </summary>
internal static class RollbackScenarios
{
    /// <summary>A test case to build: the case, or the reason the folder cannot be loaded.</summary>
    internal sealed record PlannedCase(RollbackScenarioCase? Case, string TestName, string Category, string? Description, string? Error);

    /// <summary>
    /// One case per scenario and engine under <paramref name="paths"/> (resolved against the test assembly's folder and its
    /// parents), optionally restricted to <paramref name="engines"/> (and the <c>RV_ENGINES</c> variable). A folder that
    /// cannot be loaded becomes one case carrying the error, so it fails visibly instead of vanishing.
    /// </summary>
    internal static IEnumerable<PlannedCase> Plan(IReadOnlyList<string> paths, IReadOnlyList<EngineKind>? engines)
    {
        var filter = Filter(engines);
        var roots = new List<string>();
        foreach (var path in paths)
        {
            var resolved = Resolve(path);
            if (resolved is null)
            {
                yield return Failed(path, $"scenario folder '{path}' not found: looked in {AppContext.BaseDirectory} and its parent folders");
                continue;
            }

            roots.Add(resolved);
        }

        var folders = new List<(string Root, string Folder)>();
        foreach (var root in roots)
        {
            IReadOnlyList<string> found;
            string? error = null;
            try
            {
                found = ScenarioLoader.Discover([root]);
            }
            catch (RollbackVerifierException ex)
            {
                found = [];
                error = ex.Message;
            }

            if (error is not null)
            {
                yield return Failed(root, error);
            }

            folders.AddRange(found.Select(f => (root, f)));
        }

        var loaded = folders.Select(f => (f.Root, f.Folder, Load: Load(f.Folder, filter))).ToList();
        var names = loaded.Select(l => l.Load.Scenarios.FirstOrDefault()?.Name ?? Path.GetFileName(l.Folder)).ToList();
        for (var i = 0; i < loaded.Count; i++)
        {
            var (root, folder, (scenarios, error)) = loaded[i];
            var display = names.Count(n => n == names[i]) > 1 ? DisplayFor(root, folder) : names[i];
            if (error is not null)
            {
                yield return Failed(display, error);
                continue;
            }

            foreach (var scenario in scenarios)
            {
                foreach (var engine in scenario.Engines.Where(e => filter is null || filter.Contains(e)))
                {
                    var testCase = new RollbackScenarioCase(scenario, engine, display);
                    yield return new PlannedCase(testCase, $"{display} on {engine.ToName()}", engine.ToName(), scenario.Description, null);
                }
            }
        }
    }

    /// <summary>
    /// Loads a folder. Generic scripts without 'engines:' run on the engines the test asks for; any other load error is
    /// returned so the folder becomes a failing case.
    /// </summary>
    private static (IReadOnlyList<Scenario> Scenarios, string? Error) Load(string folder, IReadOnlyList<EngineKind>? filter)
    {
        try
        {
            return ([ScenarioLoader.Load(folder, null)], null);
        }
        catch (RollbackVerifierException ex)
        {
            if (filter is not { Count: > 0 })
            {
                return ([], ex.Message);
            }

            try
            {
                return (filter.Select(kind => ScenarioLoader.Load(folder, kind)).ToList(), null);
            }
            catch (RollbackVerifierException)
            {
                return ([], ex.Message);
            }
        }
    }

    private static PlannedCase Failed(string what, string error) => new(null, $"{what} (cannot load)", "invalid", null, error);

    private static string DisplayFor(string root, string folder)
    {
        var relative = Path.GetRelativePath(root, folder).Replace('\\', '/');
        return relative == "." ? Path.GetFileName(folder) : relative;
    }

    /// <summary>The engines to run: the attribute's, narrowed by RV_ENGINES (comma-separated) when set.</summary>
    private static IReadOnlyList<EngineKind>? Filter(IReadOnlyList<EngineKind>? engines)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("RV_ENGINES");
        if (string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return engines;
        }

        var listed = EngineList.Parse(fromEnvironment, "RV_ENGINES");
        return engines is null ? listed : engines.Intersect(listed).ToList();
    }

    /// <summary>An absolute path, or a relative one found from the test binaries' folder upwards (the repository).</summary>
    internal static string? Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return Directory.Exists(path) || File.Exists(path) ? Path.GetFullPath(path) : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, path);
            if (Directory.Exists(candidate) || File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }
}

/// <summary>Parses engine lists such as "postgres,sqlite".</summary>
internal static class EngineList
{
    public static IReadOnlyList<EngineKind> Parse(string text, string source)
    {
        var kinds = new List<EngineKind>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!EngineKinds.TryParse(part, out var kind))
            {
                throw new ArgumentException($"{source}: unknown engine '{part}'; expected postgres, mysql or sqlite");
            }

            kinds.Add(kind);
        }

        return kinds;
    }
}
