using System.Globalization;
using System.Text;

namespace RollbackVerifier.Execution.Commands;

/// <summary>
/// Collects what a command prints on standard output and standard error, line by line in arrival order, redacting
/// secrets as lines arrive (the unredacted text is never kept). Memory is bounded: the first
/// <see cref="HeadChars"/> and the last <see cref="TailChars"/> characters are kept and the lines between are counted,
/// and a line longer than <see cref="MaxLineChars"/> is cut. A carriage return without a line feed (a progress bar
/// redrawing its line) starts the line over, as a terminal shows it.
/// </summary>
public sealed class CommandOutput
{
    public const int HeadChars = 16 * 1024;
    public const int TailChars = 48 * 1024;
    public const int MaxLineChars = 4 * 1024;

    private readonly IReadOnlyList<string> _secrets;
    private readonly int _longestSecret;
    private readonly Lock _gate = new();
    private readonly StringBuilder _head = new();
    private readonly Queue<string> _tail = new();
    private int _tailChars;
    private int _omittedLines;
    private long _omittedChars;
    private int _cutLines;
    private int _lines;

    public CommandOutput(IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets;
        _longestSecret = secrets.Count == 0 ? 0 : secrets.Max(s => s.Length);
    }

    /// <summary>Lines received so far, including the ones left out.</summary>
    public int Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines;
            }
        }
    }

    /// <summary>True when lines were left out or cut.</summary>
    public bool Truncated
    {
        get
        {
            lock (_gate)
            {
                return _omittedLines > 0 || _cutLines > 0;
            }
        }
    }

    /// <summary>Adds one line (without its line break).</summary>
    public void AddLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Add(line, dropped: 0);
    }

    /// <summary>Adds a line of the harness's own (a note about the run), marked as such.</summary>
    public void AddNote(string note) => AddLine("[rollback-verifier] " + note);

    /// <summary>Reads <paramref name="stream"/> to its end as UTF-8, adding its lines.</summary>
    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        var buffer = new char[4096];
        var line = new StringBuilder();

        // Enough beyond the cut that a secret starting before it is still whole when redacted.
        var keep = MaxLineChars + _longestSecret;
        var dropped = 0;
        var pendingReturn = false;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (pendingReturn && c != '\n')
                {
                    line.Clear();
                    dropped = 0;
                }

                pendingReturn = false;
                if (c == '\n')
                {
                    Add(line.ToString(), dropped);
                    line.Clear();
                    dropped = 0;
                }
                else if (c == '\r')
                {
                    pendingReturn = true;
                }
                else if (line.Length < keep)
                {
                    line.Append(c);
                }
                else
                {
                    dropped++;
                }
            }
        }

        if (line.Length > 0 || dropped > 0)
        {
            Add(line.ToString(), dropped);
        }
    }

    /// <summary>The collected text: the head, a note saying how much was left out, the tail.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var text = new StringBuilder(_head.ToString());
            if (_omittedLines > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"[rollback-verifier] ... {_omittedLines} lines ({_omittedChars} characters) left out ...\n");
            }

            foreach (var line in _tail)
            {
                text.Append(line).Append('\n');
            }

            return text.ToString();
        }
    }

    /// <summary>The last <paramref name="count"/> lines received (fewer when fewer were kept), for evidence.</summary>
    public IReadOnlyList<string> LastLines(int count)
    {
        lock (_gate)
        {
            var lines = _tail.ToList();
            if (lines.Count < count && _omittedLines == 0)
            {
                var head = _head.ToString().Split('\n');
                lines.InsertRange(0, head.Take(head.Length - 1).TakeLast(count - lines.Count));
            }

            return lines.TakeLast(count).ToList();
        }
    }

    /// <summary>Redacts, then cuts (so no part of a secret survives the cut), then stores.</summary>
    private void Add(string line, int dropped)
    {
        line = Redaction.Redact(line, _secrets);
        var over = Math.Max(0, line.Length - MaxLineChars) + dropped;
        if (over > 0)
        {
            line = string.Concat(line.AsSpan(0, Math.Min(line.Length, MaxLineChars)), string.Create(CultureInfo.InvariantCulture, $" [line cut: {over} more characters]"));
        }

        lock (_gate)
        {
            _lines++;
            _cutLines += over > 0 ? 1 : 0;
            if (_tail.Count == 0 && _head.Length + line.Length + 1 <= HeadChars)
            {
                _head.Append(line).Append('\n');
                return;
            }

            _tail.Enqueue(line);
            _tailChars += line.Length + 1;
            while (_tailChars > TailChars && _tail.Count > 1)
            {
                var left = _tail.Dequeue();
                _tailChars -= left.Length + 1;
                _omittedLines++;
                _omittedChars += left.Length + 1;
            }
        }
    }
}
