using RollbackVerifier.Execution.Commands;

namespace RollbackVerifier.Tests.Support;

/// <summary>
/// Gate for tests that drive a command-line client (psql, mariadb, python3): in CI (CI=true) a missing client fails
/// the test; locally it is ignored with the command that installs it. Never a silent skip.
/// </summary>
public static class ClientRequirement
{
    /// <summary>Ensures one of <paramref name="programs"/> is on PATH.</summary>
    public static void Ensure(params string[] programs)
    {
        if (programs.Any(p => CommandStepRunner.ResolveUnix(p, Environment.CurrentDirectory, Environment.GetEnvironmentVariable("PATH"), out _) is not null))
        {
            return;
        }

        var message = $"{string.Join(" or ", programs)} not found on PATH; install the clients with `sudo bash eng/install-clients.sh` (postgresql-client, mariadb-client; python3 with its sqlite3 module).";
        if (DockerRequirement.IsCi)
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
    }

    /// <summary>The client a command step on <paramref name="kind"/> needs in fixtures/command-steps (tools/migrate.sh).</summary>
    public static void EnsureFor(Model.EngineKind kind)
    {
        switch (kind)
        {
            case Model.EngineKind.Postgres: Ensure("psql"); break;
            case Model.EngineKind.MySql: Ensure("mariadb", "mysql"); break;
            default: Ensure("python3"); break;
        }
    }
}
