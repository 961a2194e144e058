// TEMPORARY STUB written by the lead so the seeder compiles; the helper writing CheckDomains replaces this whole file.
using RollbackVerifier.Model;

namespace RollbackVerifier.Seeding;

public sealed record CheckBound(string Literal, bool Inclusive);

public sealed record ColumnDomain(string Column, CheckBound? Min, CheckBound? Max, IReadOnlyList<string>? Allowed, int? MinLength, int? MaxLength, IReadOnlyList<string> Forbidden);

public sealed record ColumnComparison(string Left, string Operator, string Right);

public sealed record CheckAnalysis(IReadOnlyDictionary<string, ColumnDomain> Domains, IReadOnlyList<ColumnComparison> Comparisons, IReadOnlyList<CheckConstraint> NotUnderstood)
{
    public ColumnDomain? For(string column) => Domains.GetValueOrDefault(column);
}

public static class CheckDomains
{
    public static CheckAnalysis Analyze(Table table) => new(new Dictionary<string, ColumnDomain>(), [], table.Checks.Where(c => c.IsEnforced).ToList());
}
