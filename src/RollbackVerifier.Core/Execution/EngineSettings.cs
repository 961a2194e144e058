using RollbackVerifier.Model;

namespace RollbackVerifier.Execution;

/// <summary>How to provide databases for one engine.</summary>
/// <param name="Image">Container image; null for the engine's default (or the RV_*_IMAGE environment variable).</param>
/// <param name="ServerUrl">An existing server to use instead of a container (connection URL or connection string);
/// the harness creates, uses and drops only its own throwaway databases there.</param>
/// <param name="RunId">Identifies this run in container labels, database names and markers.</param>
public sealed record EngineSettings(string? Image, string? ServerUrl, string RunId)
{
    /// <summary>Label put on every container the harness starts, so a leak is detectable and removable.</summary>
    public const string ContainerLabel = "rollbackverifier";

    /// <summary>Label holding the run id.</summary>
    public const string RunLabel = "rollbackverifier.run";

    /// <summary>Prefix of every throwaway database name.</summary>
    public const string DatabasePrefix = "rv_";

    /// <summary>Settings from the environment: RV_{ENGINE}_IMAGE and RV_{ENGINE}_URL.</summary>
    public static EngineSettings FromEnvironment(EngineKind kind, string runId)
    {
        var prefix = "RV_" + kind.ToName().ToUpperInvariant();
        return new EngineSettings(
            NullIfEmpty(Environment.GetEnvironmentVariable(prefix + "_IMAGE")),
            NullIfEmpty(Environment.GetEnvironmentVariable(prefix + "_URL")),
            runId);
    }

    /// <summary>The record's text (debuggers, logs, assertion messages) shows the server URL masked.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Image = ").Append(Image).Append(", ServerUrl = ").Append(Reporting.Secrets.Redact(ServerUrl)).Append(", RunId = ").Append(RunId);
        return true;
    }

    /// <summary>A short random run id.</summary>
    public static string NewRunId() => Guid.NewGuid().ToString("N")[..10];

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>Creates engines by kind. Front ends (CLI, NUnit adapter, tests) register the engine projects they ship.</summary>
public sealed class EngineRegistry
{
    private readonly Dictionary<EngineKind, Func<EngineSettings, IDatabaseEngine>> _factories = [];

    public EngineRegistry Register(EngineKind kind, Func<EngineSettings, IDatabaseEngine> factory)
    {
        _factories[kind] = factory;
        return this;
    }

    public bool Supports(EngineKind kind) => _factories.ContainsKey(kind);

    public IDatabaseEngine Create(EngineKind kind, EngineSettings settings) =>
        _factories.TryGetValue(kind, out var factory)
            ? factory(settings)
            : throw new EngineUnavailableException($"No engine registered for {kind.ToName()}.");
}

/// <summary>Builds a database name that is recognisably ours: prefix, scenario slug, run id, and a counter.</summary>
public static class DatabaseNames
{
    private static int _counter;

    public static string Create(string scenarioName, string runId, int maxLength = 63)
    {
        var slug = new string(scenarioName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()).Trim('_');
        var suffix = "_" + runId + "_" + Interlocked.Increment(ref _counter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var room = Math.Max(0, maxLength - EngineSettings.DatabasePrefix.Length - suffix.Length);
        if (slug.Length > room)
        {
            slug = slug[..room];
        }

        return EngineSettings.DatabasePrefix + slug + suffix;
    }
}
