namespace RollbackVerifier.Seeding;

/// <summary>
/// Counts the rows one seeding call writes and reports the running total, at most once per
/// <see cref="ReportEvery"/> rows within a table (a million-row load must not pay for a report per row) and at
/// the end of every table. Does nothing when nobody listens.
/// </summary>
internal sealed class SeedRowCounter(IProgress<long>? progress)
{
    /// <summary>Rows between two reports within one table.</summary>
    public const int ReportEvery = 1000;

    private long _done;
    private long _reported;

    /// <summary><paramref name="rows"/> rows of the current table are written so far.</summary>
    public void InTable(long rows)
    {
        if (progress is not null && _done + rows - _reported >= ReportEvery)
        {
            Report(_done + rows);
        }
    }

    /// <summary>The current table is done with <paramref name="inserted"/> rows.</summary>
    public void TableDone(long inserted)
    {
        _done += inserted;
        if (progress is not null && _done != _reported)
        {
            Report(_done);
        }
    }

    /// <summary>Passes <paramref name="rows"/> through, counting them as the loader takes them.</summary>
    public async IAsyncEnumerable<object?[]> Count(IAsyncEnumerable<object?[]> rows)
    {
        long taken = 0;
        await foreach (var row in rows.ConfigureAwait(false))
        {
            InTable(++taken);
            yield return row;
        }
    }

    private void Report(long total)
    {
        _reported = total;
        progress!.Report(total);
    }
}
