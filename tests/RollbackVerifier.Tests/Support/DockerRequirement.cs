using System.Diagnostics;

namespace RollbackVerifier.Tests.Support;

/// <summary>
/// Gate for tests that need a Docker engine: in CI (CI=true) a missing engine fails the test; locally it is
/// ignored with a message saying how to enable it. Never a silent skip.
/// </summary>
public static class DockerRequirement
{
    private static readonly Lazy<string?> Problem = new(Probe);

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when Docker answers, else why not.</summary>
    public static string? Unavailability => Problem.Value;

    public static void Ensure()
    {
        var problem = Problem.Value;
        if (problem is null)
        {
            return;
        }

        var message = $"Docker engine unavailable: {problem}. Start one with `sudo eng/start-docker.sh && eng/build-images.sh && source eng/ci-env.sh`.";
        if (IsCi)
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
    }

    private static string? Probe()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("docker", "version --format {{.Server.APIVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return "cannot start the docker client";
            }

            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(15_000))
            {
                process.Kill();
                return "docker client timed out";
            }

            return process.ExitCode == 0 ? null : $"docker exited with {process.ExitCode}: {error.Trim()} {output.Trim()}".Trim();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return "docker client not found: " + ex.Message;
        }
    }

    /// <summary>Ids of containers carrying the harness label (optionally for one run), running or not.</summary>
    public static IReadOnlyList<string> ListHarnessContainers(string? runId = null)
    {
        var filter = runId is null ? "label=rollbackverifier" : $"label=rollbackverifier.run={runId}";
        using var process = Process.Start(new ProcessStartInfo("docker", $"ps -aq --filter {filter}") { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
