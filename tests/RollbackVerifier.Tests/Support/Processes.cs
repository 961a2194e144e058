namespace RollbackVerifier.Tests.Support;

/// <summary>Process checks for the command-step tests (Linux /proc).</summary>
public static class Processes
{
    /// <summary>True while <paramref name="pid"/> runs; a killed orphan may stay a zombie until something reaps it, which counts as dead.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
