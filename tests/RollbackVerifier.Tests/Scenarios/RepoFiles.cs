using System.Runtime.CompilerServices;

namespace RollbackVerifier.Tests;

/// <summary>Paths of checked-in files (fixtures, docs), found from this source file so any build output location works.</summary>
internal static class RepoFiles
{
    /// <summary>The repository root: the folder holding RollbackVerifier.sln above this source file (else above the test binaries).</summary>
    public static string Root { get; } = FindRoot(SourceDirectory()) ?? FindRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("RollbackVerifier.sln not found above " + SourceDirectory());

    /// <summary>A path under the repository root, from '/'-separated parts.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts.SelectMany(p => p.Split('/'))]);

    private static string SourceDirectory([CallerFilePath] string path = "") => System.IO.Path.GetDirectoryName(path) ?? ".";

    private static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "RollbackVerifier.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
