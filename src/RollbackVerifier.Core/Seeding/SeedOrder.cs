using RollbackVerifier.Model;

namespace RollbackVerifier.Seeding;

/// <summary>Orders tables so that referenced tables are seeded before the tables that reference them.</summary>
public static class SeedOrder
{
    /// <summary>
    /// Topological order over foreign keys. Self-references are ignored (the seeder leaves them NULL or points
    /// them at earlier rows); a cycle is broken at a table whose cycle-forming keys are all nullable, else it is
    /// an error naming the tables.
    /// </summary>
    public static IReadOnlyList<Table> Order(IEnumerable<Table> tables)
    {
        var all = tables.ToDictionary(t => t.Name);
        var result = new List<Table>();
        var done = new HashSet<ObjectName>();
        var remaining = all.Keys.OrderBy(n => n).ToList();

        while (remaining.Count > 0)
        {
            var ready = remaining.FirstOrDefault(name => Dependencies(all[name], all).All(d => done.Contains(d)));
            if (ready is null)
            {
                // Break a cycle at a table whose unresolved dependencies are all through nullable keys.
                ready = remaining.FirstOrDefault(name =>
                    all[name].ForeignKeys
                        .Where(fk => fk.ReferencedTable != name && all.ContainsKey(fk.ReferencedTable) && !done.Contains(fk.ReferencedTable))
                        .All(fk => fk.Columns.All(c => all[name].FindColumn(c)?.IsNullable != false)));
                if (ready is null)
                {
                    throw new RollbackVerifierException(
                        "cannot order tables for seeding: foreign keys form a cycle through NOT NULL columns: "
                        + string.Join(", ", remaining) + ". Exclude one of these tables in scenario.yml seed.tables.");
                }
            }

            result.Add(all[ready]);
            done.Add(ready);
            remaining.Remove(ready);
        }

        return result;
    }

    private static IEnumerable<ObjectName> Dependencies(Table table, IReadOnlyDictionary<ObjectName, Table> all) =>
        table.ForeignKeys.Select(fk => fk.ReferencedTable).Where(r => r != table.Name && all.ContainsKey(r));
}
