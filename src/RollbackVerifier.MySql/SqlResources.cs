using System.Collections.Concurrent;

namespace RollbackVerifier.MySql;

/// <summary>Catalog queries kept as embedded .sql files under Sql/.</summary>
internal static class SqlResources
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static string Get(string name) => Cache.GetOrAdd(name, static n =>
    {
        var assembly = typeof(SqlResources).Assembly;
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(r => r.EndsWith(".Sql." + n, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"embedded query {n} not found");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
