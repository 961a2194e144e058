using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.Tests.Cli;

/// <summary>--shard i/n: parsing, and an assignment that is complete, balanced and independent of input order.</summary>
public sealed class ShardTests
{
    [TestCase("1/1", 1, 1)]
    [TestCase("2/4", 2, 4)]
    [TestCase("4/4", 4, 4)]
    public void Valid_shards_parse(string text, int index, int count)
    {
        Assert.That(Shard.TryParse(text, out var shard, out var problem), Is.True, problem);
        Assert.That(shard, Is.EqualTo(new Shard(index, count)));
        Assert.That(shard!.ToString(), Is.EqualTo(text));
    }

    [TestCase("3/2", "between 1 and 2")]
    [TestCase("0/2", "numbered from 1")]
    [TestCase("1/0", "at least 1")]
    [TestCase("2", "write i/n")]
    [TestCase("a/b", "write i/n")]
    [TestCase("-1/2", "write i/n")]
    [TestCase("1/2/3", "write i/n")]
    [TestCase("", "write i/n")]
    public void Invalid_shards_are_refused_with_the_value_in_the_message(string text, string reason)
    {
        Assert.That(Shard.TryParse(text, out var shard, out var problem), Is.False);
        Assert.That(shard, Is.Null);
        Assert.That(problem, Does.Contain($"'{text}'").And.Contain(reason));
    }

    private static List<(string Key, EngineKind Engine)> Items(int scenarios)
    {
        var engines = new[] { EngineKind.Postgres, EngineKind.MySql, EngineKind.Sqlite };
        return Enumerable.Range(0, scenarios)
            .SelectMany(i => engines.Where(e => (i + (int)e) % 4 != 0).Select(e => ($"scenario-{i:D3}", e)))
            .ToList();
    }

    private static Dictionary<(string, EngineKind), int> Assign(IReadOnlyList<(string Key, EngineKind Engine)> items, int count)
    {
        var shards = Shard.Assign(items, i => i.Engine, i => i.Key, count);
        return items.Select((item, i) => (item, shards[i])).ToDictionary(p => (p.item.Key, p.item.Engine), p => p.Item2);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(7)]
    [TestCase(100)]
    public void Every_item_lands_in_exactly_one_shard_and_shards_differ_by_at_most_one_item_in_total_and_per_engine(int count)
    {
        var items = Items(41);
        var assigned = Assign(items, count);

        Assert.That(assigned.Values, Is.All.InRange(1, count));
        Assert.That(assigned, Has.Count.EqualTo(items.Count));
        var sizes = Enumerable.Range(1, count).Select(s => assigned.Values.Count(v => v == s)).ToList();
        Assert.That(sizes.Max() - sizes.Min(), Is.LessThanOrEqualTo(1), "total per shard: " + string.Join(",", sizes));
        foreach (var engine in EngineKinds.All)
        {
            var perEngine = Enumerable.Range(1, count).Select(s => assigned.Count(a => a.Key.Item2 == engine && a.Value == s)).ToList();
            Assert.That(perEngine.Max() - perEngine.Min(), Is.LessThanOrEqualTo(1), $"{engine} per shard: " + string.Join(",", perEngine));
        }
    }

    [Test]
    public void The_assignment_does_not_depend_on_the_order_items_are_found_in()
    {
        var items = Items(30);
        var shuffled = items.OrderBy(_ => Random.Shared.Next()).ToList();
        var reversed = items.AsEnumerable().Reverse().ToList();

        Assert.That(Assign(shuffled, 4), Is.EquivalentTo(Assign(items, 4)));
        Assert.That(Assign(reversed, 4), Is.EquivalentTo(Assign(items, 4)));
    }

    [Test]
    public void The_assignment_is_pinned_so_that_machines_running_different_builds_agree()
    {
        // A change here moves scenarios between the shards of a running nightly matrix: make it on purpose.
        var items = new[] { ("b", EngineKind.Sqlite), ("a", EngineKind.Postgres), ("c", EngineKind.Postgres), ("a", EngineKind.Sqlite), ("b", EngineKind.MySql) };
        Assert.That(Shard.Assign(items, i => i.Item2, i => i.Item1, 2), Is.EqualTo(new[] { 1, 1, 2, 2, 1 }));
    }
}
