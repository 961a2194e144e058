using System.Collections.Concurrent;

namespace RollbackVerifier.PostgreSql;

/// <summary>The catalog queries embedded from the Sql folder.</summary>
internal static class SqlResources
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>The text of Sql/<paramref name="name"/>.</summary>
    public static string Load(string name) => Cache.GetOrAdd(name, static n =>
    {
        var assembly = typeof(SqlResources).Assembly;
        var resource = "RollbackVerifier.PostgreSql.Sql." + n;
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded query {resource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
