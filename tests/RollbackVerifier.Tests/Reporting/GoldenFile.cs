namespace RollbackVerifier.Tests.Reporting;

/// <summary>
/// Compares output with a checked-in golden file. With RV_UPDATE_GOLDEN=1 the golden file is rewritten from the
/// output instead (review the diff, then commit it); a missing golden file is never created silently.
/// </summary>
internal static class GoldenFile
{
    public const string UpdateVariable = "RV_UPDATE_GOLDEN";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <param name="relativePath">'/'-separated path under the repository root, e.g. fixtures/golden/report.json.</param>
    /// <param name="actual">The output; line ends are compared as "\n".</param>
    public static void AssertMatches(string relativePath, string actual)
    {
        var path = RepoFiles.Path(relativePath);
        actual = actual.ReplaceLineEndings("\n");
        if (Updating)
        {
            Assert.That(Environment.GetEnvironmentVariable("CI"), Is.Not.EqualTo("true"), $"{UpdateVariable}=1 must not be set in CI: it would rewrite the golden files instead of checking them");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            Assert.Inconclusive($"{UpdateVariable}=1: rewrote {path}; review the diff and commit it");
        }

        Assert.That(File.Exists(path), Is.True, $"{path} is missing; run the tests with {UpdateVariable}=1 to create it, then review and commit it");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.That(actual, Is.EqualTo(expected), $"output differs from {relativePath}; if the change is intended, run the tests with {UpdateVariable}=1 and commit the new file");
    }
}
