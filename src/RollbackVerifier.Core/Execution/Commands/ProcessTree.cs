using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace RollbackVerifier.Execution.Commands;

/// <summary>
/// Finds and stops the processes a command step started, including the ones that left its process tree (a daemon, a
/// background job whose parent exited): every step's processes inherit a unique <see cref="CommandEnvironment.StepIdVariable"/>
/// value, and on Linux <c>/proc/*/environ</c> shows which processes carry it (the trick Jenkins' process tree killer
/// uses). Elsewhere only the tree below the command is stopped (<see cref="Process.Kill(bool)"/>). Steps still running
/// when this process exits (a second Ctrl-C, SIGTERM) are stopped from <see cref="AppDomain.ProcessExit"/>.
/// </summary>
public static class ProcessTree
{
    private static readonly ConcurrentDictionary<string, int> Running = new(StringComparer.Ordinal);

    static ProcessTree() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAllRunning();

    /// <summary>True when leftover processes can be found by their environment (Linux).</summary>
    public static bool CanFindLeftovers => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>Remembers a running step so that it is stopped if this process exits first; dispose when the step ends.</summary>
    public static IDisposable Track(string stepId, int processId)
    {
        Running[stepId] = processId;
        return new Untrack(stepId);
    }

    /// <summary>Ids of the live processes that carry <paramref name="stepId"/> in their environment (empty where that cannot be seen).</summary>
    public static IReadOnlyList<int> FindMarked(string stepId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stepId);
        if (!CanFindLeftovers)
        {
            return [];
        }

        var needle = Encoding.UTF8.GetBytes(CommandEnvironment.StepIdVariable + "=" + stepId + "\0");
        var self = Environment.ProcessId;
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                if (Contains(environ, needle))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile, or belongs to another user (then it is not ours either).
            }
        }

        return found;
    }

    /// <summary>Stops (SIGKILL) every process carrying <paramref name="stepId"/>; returns how many were stopped.</summary>
    public static int KillMarked(string stepId)
    {
        var killed = new HashSet<int>();

        // A process may fork between the scan and the kill; a few rounds catch its children.
        for (var round = 0; round < 5; round++)
        {
            var marked = FindMarked(stepId);
            if (marked.Count == 0)
            {
                break;
            }

            foreach (var pid in marked)
            {
                if (TryKill(pid, entireTree: false))
                {
                    killed.Add(pid);
                }
            }

            Thread.Sleep(20);
        }

        return killed.Count;
    }

    /// <summary>Stops a process and its descendants; false when it had already exited.</summary>
    public static bool TryKill(int processId, bool entireTree)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            process.Kill(entireTree);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    private static void StopAllRunning()
    {
        foreach (var (stepId, pid) in Running)
        {
            TryKill(pid, entireTree: true);
            KillMarked(stepId);
        }
    }

    /// <summary>True when one of the NUL-separated NAME=value entries is <paramref name="needle"/> (which ends with its NUL).</summary>
    private static bool Contains(byte[] haystack, byte[] needle)
    {
        var span = haystack.AsSpan();
        byte[] afterSeparator = [0, .. needle];
        return span.StartsWith(needle) || span.IndexOf(afterSeparator) >= 0;
    }

    private sealed class Untrack(string stepId) : IDisposable
    {
        public void Dispose() => Running.TryRemove(stepId, out _);
    }
}
