using System.Text.Json;

namespace RollbackVerifier.Reporting;

/// <summary>The small property shapes every part of the JSON report writes (docs/report-json.md).</summary>
internal static class JsonWriting
{
    /// <summary><c>"name": ["a", "b"]</c>.</summary>
    public static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary><c>"name": 12</c>, or <c>"name": null</c>.</summary>
    public static void Number(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
