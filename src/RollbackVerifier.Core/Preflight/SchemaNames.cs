using RollbackVerifier.Model;

namespace RollbackVerifier.Preflight;

/// <summary>Lookups on the neutral model that engine projects need when they render DDL.</summary>
public static class SchemaNames
{
    /// <summary>The table and column that own a sequence (<see cref="Sequence.OwnedBy"/>), or null.</summary>
    public static (Table Table, Column Column)? OwnerOf(SchemaSnapshot schema, Sequence sequence)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(sequence);
        return Diffing.DataOracle.FindOwner(schema, sequence);
    }

    /// <summary>True when <paramref name="text"/> names <paramref name="identifier"/> as a whole word (case-insensitive).</summary>
    public static bool Mentions(string text, string identifier)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(identifier);
        return Seeding.SeedPlanner.ContainsIdentifier(text, identifier);
    }
}
