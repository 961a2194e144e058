namespace RollbackVerifier.Seeding;

/// <summary>The CLR types the seeder writes (those <see cref="Execution.IBulkLoader"/> accepts), from provider or Bogus values.</summary>
internal static class SeedValues
{
    /// <summary>Integers as <see cref="long"/>, floats as <see cref="double"/>, offsets as UTC <see cref="DateTime"/>, DBNull as null; other values unchanged.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null or DBNull => null,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        sbyte sb => (long)sb,
        uint ui => (long)ui,
        ushort us => (long)us,
        ulong ul => ul <= long.MaxValue ? (long)ul : (decimal)ul,
        float f => (double)f,
        DateTimeOffset o => o.UtcDateTime,
        _ => value,
    };
}
