using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RollbackVerifier.Reporting;

/// <summary>
/// Keeps passwords out of every report, console line and log: masks the password of URLs (<c>scheme://user:pw@host</c>),
/// <c>Password=</c>/<c>Pwd=</c> in connection strings, <c>PGPASSWORD=</c>/<c>MYSQL_PWD=</c>-style assignments, password
/// literals in SQL (<c>PASSWORD '...'</c>, <c>IDENTIFIED BY '...'</c>), and every
/// value registered with <see cref="Register"/> (engines register the passwords they are given or create). The
/// registry is process-wide on purpose: an exception from a provider can surface anywhere, long after the engine that
/// knew the password (docs/decisions/0007-secret-redaction.md).
/// </summary>
public static partial class Secrets
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>
    /// Registered values shorter than this are not masked as bare text (only where a pattern marks them as a password):
    /// masking "pw" or "1" everywhere would garble every report without protecting anything.
    /// </summary>
    public const int MinimumRegisteredLength = 4;

    private static readonly object Gate = new();

    // Longest first, so a secret that contains another is masked whole.
    private static string[] _known = [];

    /// <summary>Remembers a secret value (and its URL-encoded form) for <see cref="Redact"/>; null, empty and short values are ignored.</summary>
    public static void Register(string? secret)
    {
        if (secret is null || secret.Length < MinimumRegisteredLength)
        {
            return;
        }

        lock (Gate)
        {
            var known = _known.Concat([secret, Uri.EscapeDataString(secret)]).Distinct(StringComparer.Ordinal)
                .OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal).ToArray();
            Volatile.Write(ref _known, known);
        }
    }

    /// <summary>The text with every known secret and every password-shaped value replaced by <see cref="Mask"/>.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in Volatile.Read(ref _known))
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        text = UrlPassword().Replace(text, m => m.Groups["pw"].Value == Mask ? m.Value : m.Groups["head"].Value + Mask + "@");
        text = KeyValuePassword().Replace(text, m => m.Groups["key"].Value + m.Groups["eq"].Value + Quoted(m.Groups["value"].Value));
        return SqlPassword().Replace(text, m => m.Groups["head"].Value + "'" + Mask + "'");
    }

    /// <summary>
    /// Masks secrets inside every string (and property name) of a JSON document and writes it back token by token, so
    /// the layout stays byte for byte what <paramref name="options"/> produce and a mask can never break the syntax.
    /// </summary>
    public static string RedactJson(string json, JsonWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(json);
        var input = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(input, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var output = new ArrayBufferWriter<byte>(input.Length);
        using (var writer = new Utf8JsonWriter(output, options))
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName: writer.WritePropertyName(Redact(reader.GetString()!)); break;
                    case JsonTokenType.String: writer.WriteStringValue(Redact(reader.GetString()!)); break;
                    case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                }
            }
        }

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        return json.EndsWith('\n') ? text + "\n" : text;
    }

    private static string Quoted(string value) =>
        value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[0] + Mask + value[0] : Mask;

    /// <summary>scheme://user:password@ — the password may hold anything but whitespace, '/' and '@' (greedy up to the last '@').</summary>
    [GeneratedRegex(@"(?<head>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/?#@""'<>]*:)(?<pw>[^\s/?#""'<>]*)@", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex UrlPassword();

    /// <summary>
    /// Password=..., Pwd=..., User Password=..., PGPASSWORD=..., MYSQL_PWD=..., MYSQL_ROOT_PASSWORD=..., ?password=...:
    /// a quoted value whole (doubled quotes inside), else up to ';', '&amp;' or whitespace.
    /// </summary>
    [GeneratedRegex(@"(?<key>\b(?:[A-Za-z0-9_.\-]*(?:password|passwd|pwd)|user\s+password))(?<eq>\s*=\s*)(?<value>""(?:[^""\r\n]|"""")*""|'(?:[^'\r\n]|'')*'|[^;&\s]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex KeyValuePassword();

    /// <summary>Password literals in SQL: PostgreSQL <c>[ENCRYPTED] PASSWORD '...'</c>, MySQL <c>IDENTIFIED [WITH plugin] BY '...'</c>.</summary>
    [GeneratedRegex(@"(?<head>\b(?:PASSWORD|IDENTIFIED\s+(?:WITH\s+\S+\s+)?BY(?:\s+PASSWORD)?)\s+)'(?:[^']|'')*'", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex SqlPassword();
}
