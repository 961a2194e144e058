using System.Text;

namespace RollbackVerifier.Scenarios;

/// <summary>Reads scenario files as text: UTF-8 (a byte order mark is tolerated, UTF-16 with its BOM too), never silently mangled.</summary>
internal static class ScenarioText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's text without its byte order mark.</summary>
    /// <exception cref="ScenarioDefinitionException">The file cannot be read or is not valid UTF-8 (names the line).</exception>
    public static string Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioDefinitionException(path, null, "cannot read the file: " + ex.Message);
        }

        return Decode(path, bytes);
    }

    internal static string Decode(string path, byte[] bytes)
    {
        if (bytes is [0xFF, 0xFE, ..])
        {
            return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        }

        if (bytes is [0xFE, 0xFF, ..])
        {
            return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        }

        var start = bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException ex)
        {
            var offset = start + Math.Max(0, ex.Index);
            var line = 1 + bytes.AsSpan(0, Math.Min(offset, bytes.Length)).Count((byte)'\n');
            throw new ScenarioDefinitionException(path, line, "the file is not valid UTF-8; save it as UTF-8");
        }
    }
}
