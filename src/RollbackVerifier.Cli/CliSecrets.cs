using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.Cli;

/// <summary>Engine set-up from --*-url / RV_*_URL: a malformed setting is a usage error naming the option, never a crash that prints it.</summary>
internal static class CliSecrets
{
    /// <exception cref="RollbackVerifierException">The engine settings are invalid (the message is masked by the error writer).</exception>
    public static IDatabaseEngine CreateEngine(EngineRegistry registry, EngineKind kind, EngineSettings settings)
    {
        try
        {
            return registry.Create(kind, settings);
        }
        catch (ArgumentException ex)
        {
            var name = kind.ToName();
            throw new RollbackVerifierException($"Invalid {name} engine settings (--{name}-url / RV_{name.ToUpperInvariant()}_URL, --{name}-image / RV_{name.ToUpperInvariant()}_IMAGE): {ex.Message}", ex);
        }
    }
}
