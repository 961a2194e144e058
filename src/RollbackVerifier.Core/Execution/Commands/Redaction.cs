using System.Text.Encodings.Web;

namespace RollbackVerifier.Execution.Commands;

/// <summary>
/// Removes secrets from text the harness shows: command output, the command line, error messages. Kept small and
/// self-contained on purpose (a general report redactor may replace it).
/// </summary>
public static class Redaction
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "[redacted]";

    /// <summary><paramref name="text"/> with every occurrence of every secret replaced by <see cref="Mask"/>; longer secrets first.</summary>
    public static string Redact(string text, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (var secret in secrets)
        {
            if (secret.Length > 0 && text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>
    /// The ways a password shows up in text: as is, percent-encoded as in a URL (either hex case, '+' for blanks),
    /// quoted as in a connection string (doubled quotes), and escaped as in JSON. Longest first, so that an encoded
    /// form is replaced whole before the plain one inside it; empty when there is no password.
    /// </summary>
    public static IReadOnlyList<string> FormsOf(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return [];
        }

        var encoded = Uri.EscapeDataString(password);
        var forms = new[]
        {
            password,
            encoded,
            LowerHex(encoded),
            encoded.Replace("%20", "+", StringComparison.Ordinal),
            password.Replace("\"", "\"\"", StringComparison.Ordinal),
            password.Replace("'", "''", StringComparison.Ordinal),
            JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(password),
        };
        return forms.Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length).ToList();
    }

    private static string LowerHex(string encoded)
    {
        var chars = encoded.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
        {
            if (chars[i] == '%')
            {
                chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
                chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
            }
        }

        return new string(chars);
    }
}
