using System.Numerics;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>How a format orders its versions, so --from/--to/--migration compare as the format itself does.</summary>
public abstract class VersionScheme
{
    /// <summary>Integers (golang-migrate, goose, dbmate, Diesel): leading zeros do not count, so 0003 and 3 are one version.</summary>
    public static VersionScheme Integer { get; } = new NumericScheme(dotted: false);

    /// <summary>Flyway's MigrationVersion: parts split at '.' or '_', compared as numbers, trailing zero parts ignored (1.0 = 1).</summary>
    public static VersionScheme Flyway { get; } = new NumericScheme(dotted: true);

    /// <summary>Formats without version numbers (Liquibase changesets, Sqitch changes): the position in the file or plan.</summary>
    public static VersionScheme Position { get; } = new PositionScheme();

    /// <summary>What a version looks like, for messages.</summary>
    public abstract string Describe { get; }

    /// <summary>Compares two versions of this scheme; both must be well formed.</summary>
    public abstract int Compare(string a, string b);

    /// <summary>True when <paramref name="text"/> is a version of this scheme.</summary>
    public abstract bool IsVersion(string text);

    /// <summary>
    /// Where <paramref name="text"/> falls relative to the migration at <paramref name="index"/> of <paramref name="history"/>:
    /// negative when before it, zero when it names it, positive when after; null when the text is not a version of this
    /// scheme (or, by position, names no migration).
    /// </summary>
    internal virtual int? Place(string text, IReadOnlyList<Migration> history, int index) =>
        IsVersion(text) && IsVersion(history[index].Version) ? Compare(text, history[index].Version) : null;

    private sealed class NumericScheme(bool dotted) : VersionScheme
    {
        public override string Describe => dotted ? "a Flyway version (1, 1.1, 2_0_1)" : "a number (3, 0003, 20240115093000)";

        public override bool IsVersion(string text) => Parts(text) is not null;

        public override int Compare(string a, string b)
        {
            var x = Parts(a) ?? throw new ArgumentException($"not a version: {a}", nameof(a));
            var y = Parts(b) ?? throw new ArgumentException($"not a version: {b}", nameof(b));
            for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
            {
                var c = (i < x.Count ? x[i] : BigInteger.Zero).CompareTo(i < y.Count ? y[i] : BigInteger.Zero);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        }

        private List<BigInteger>? Parts(string text)
        {
            var pieces = dotted ? text.Replace('_', '.').Split('.') : [text];
            var parts = new List<BigInteger>();
            foreach (var piece in pieces)
            {
                if (piece.Length == 0 || !piece.All(char.IsAsciiDigit))
                {
                    return null;
                }

                parts.Add(BigInteger.Parse(piece, System.Globalization.CultureInfo.InvariantCulture));
            }

            // Flyway drops trailing zero parts: 1.0.0 is version 1.
            while (parts.Count > 1 && parts[^1].IsZero)
            {
                parts.RemoveAt(parts.Count - 1);
            }

            return parts;
        }
    }

    private sealed class PositionScheme : VersionScheme
    {
        public override string Describe => "the name of a migration in the history";

        public override bool IsVersion(string text) => text.Length > 0;

        public override int Compare(string a, string b) => string.CompareOrdinal(a, b);

        internal override int? Place(string text, IReadOnlyList<Migration> history, int index)
        {
            var at = IndexOf(text, history);
            return at < 0 ? null : at.CompareTo(index);
        }

        private static int IndexOf(string text, IReadOnlyList<Migration> history)
        {
            for (var i = 0; i < history.Count; i++)
            {
                var m = history[i];
                if (m.Version == text || m.Name == text || m.Aliases.Contains(text))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
