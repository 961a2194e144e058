namespace RollbackVerifier.Model;

/// <summary>
/// A value carried in a snapshot but ignored by equality: engine-internal ids (PostgreSQL attribute numbers)
/// and positions (sequence values) that the oracle reads explicitly but that must not make two snapshots
/// of the same schema unequal.
/// </summary>
public readonly record struct NonCompared<T>(T Value)
{
    public bool Equals(NonCompared<T> other) => true;

    public override int GetHashCode() => 0;

    public override string ToString() => Value?.ToString() ?? string.Empty;

    public static implicit operator NonCompared<T>(T value) => new(value);
}
