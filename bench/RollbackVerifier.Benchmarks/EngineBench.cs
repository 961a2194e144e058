using System.Data.Common;
using System.Globalization;
using System.Threading.Channels;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;

namespace RollbackVerifier.Benchmarks;

/// <summary>The ratio of one engine and workload, for the summary.</summary>
internal sealed record Ratio(string Engine, string Workload, double RawBoth, double PlannerBoth)
{
    public double Value => RawBoth > 0 ? PlannerBoth / RawBoth : 0;
}

/// <summary>Runs every measurement of one engine: each load goes into a fresh throwaway database, disposed afterwards.</summary>
internal sealed class EngineBench(IDatabaseEngine engine, BenchOptions options, TextWriter output, CancellationToken cancellationToken)
{
    /// <summary>Capacity of the channel between generator and loader: the seeder's own.</summary>
    private const int ChannelCapacity = 8192;

    public async Task<IReadOnlyList<Ratio>> RunAsync()
    {
        var ratios = new List<Ratio>();
        foreach (var workload in options.Workloads)
        {
            ratios.Add(await RunAsync(workload));
        }

        return ratios;
    }

    private async Task<Ratio> RunAsync(Workload workload)
    {
        var kind = engine.Kind;
        var (tables, ddl, title) = workload == Workload.Single
            ? (SingleTableWorkload.Tables(options.Rows), SingleTableWorkload.CreateSql(kind), "single table (8 columns)")
            : (SchemaWorkload.Tables(options.RowsPerTable), SchemaWorkload.CreateSql(kind), $"{SchemaWorkload.TableCount}-table schema with foreign keys, {options.RowsPerTable:N0} rows per table");
        var expected = tables.Sum(t => (long)t.Rows);
        var runs = new List<IReadOnlyList<Measurement>>();
        string? server = null, loaderPath = null;
        for (var run = 0; run < options.Repeat; run++)
        {
            var (measurements, version, loader) = await RunOnceAsync(workload, tables, ddl);
            runs.Add(measurements);
            server ??= version;
            loaderPath ??= loader;
        }

        // The median run of each measurement (by wall time), with the spread of rows/s over the runs.
        var reported = runs[0].Select(first =>
        {
            var all = runs.Select(r => r.Single(m => m.Name == first.Name)).OrderBy(m => m.Elapsed).ToList();
            var median = all[all.Count / 2];
            return median with { Spread = all.Count < 2 || median.RowsPerSecond <= 0 ? null : (all[0].RowsPerSecond - all[^1].RowsPerSecond) / median.RowsPerSecond };
        }).ToList();

        Measurement.PrintTable(output, $"{kind.ToName()} ({server}) - {title}, {expected:N0} rows - loader: {loaderPath}", reported);
        var rawBoth = reported.Single(m => m.Name == "raw both").RowsPerSecond;
        var plannerBoth = reported.Single(m => m.Name == "planner both").RowsPerSecond;
        var ratio = new Ratio(kind.ToName(), workload == Workload.Single ? "single" : "schema", rawBoth, plannerBoth);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"planner both / raw both = {plannerBoth:N0} / {rawBoth:N0} rows/s = {ratio.Value:P1} (target >= 75%: {(ratio.Value >= 0.75 ? "met" : "NOT met")})"));
        await output.FlushAsync(cancellationToken);
        return ratio;
    }

    /// <summary>One run of every measurement of a workload, each load into a fresh database.</summary>
    private async Task<(IReadOnlyList<Measurement> Measurements, string Server, string Loader)> RunOnceAsync(Workload workload, IReadOnlyList<RawTable> tables, string ddl)
    {
        var kind = engine.Kind;
        var rowsPerTable = workload == Workload.Single ? options.Rows : options.RowsPerTable;
        var measurements = new List<Measurement>();
        string server, loaderPath;

        // 1. Raw: the hand-written Bogus generators alone, then the engine's bulk loader alone, then both overlapped.
        measurements.Add(await Measurement.RunAsync("raw generate-only", () => Task.FromResult(tables.Sum(t => (long)t.Generate(options.Seed).Count()))));

        await using (var db = await CreateAsync(workload, ddl))
        {
            server = db.Instance.ServerVersion;
            var pregenerated = tables.Select(t => t.Generate(options.Seed).ToList()).ToList();
            measurements.Add(await Measurement.RunAsync("raw load-only", async () =>
            {
                long written = 0;
                for (var i = 0; i < tables.Count; i++)
                {
                    written += await db.LoadAsync(tables[i], pregenerated[i].ToAsyncEnumerable(), cancellationToken);
                }

                return written;
            }));
            loaderPath = DescribeLoader(db.Instance);
            await db.VerifyAsync(tables, measurements[^1]);
        }

        await using (var db = await CreateAsync(workload, ddl))
        {
            measurements.Add(await Measurement.RunAsync("raw both", async () =>
            {
                long written = 0;
                foreach (var table in tables)
                {
                    written += await PipelinedAsync(db, table);
                }

                return written;
            }));
            await db.VerifyAsync(tables, measurements[^1]);
        }

        // 2. Planner: the project's seeder (plan + generation alone; then SeedAsync, which overlaps generation and loading).
        var settings = PlannerWorkload.Settings(options.Seed, rowsPerTable);
        await using (var db = await CreateAsync(workload, ddl))
        {
            var schema = await db.Instance.InspectSchemaAsync(cancellationToken);
            measurements.Add(await Measurement.RunAsync("planner generate-only", () => Task.FromResult(PlannerWorkload.GenerateOnly(schema, kind, settings))));
            measurements.Add(await Measurement.RunAsync("planner both", () => PlannerWorkload.SeedAsync(db.Instance, schema, settings, cancellationToken)));
            await db.VerifyAsync(tables, measurements[^1]);
        }

        return (measurements, server, loaderPath);
    }

    /// <summary>SET GLOBAL on the engine's server (through a throwaway database).</summary>
    public static async Task SetGlobalAsync(IDatabaseEngine engine, string variable, string value, CancellationToken cancellationToken)
    {
        var instance = await engine.CreateDatabaseAsync(new DatabaseRequest("bench settings", IsolationMode.Database), cancellationToken);
        await using (instance)
        {
            var connection = await instance.OpenConnectionAsync(cancellationToken);
            await using (connection)
            {
                var command = connection.CreateCommand();
                await using (command)
                {
                    command.CommandText = $"SET GLOBAL {variable} = {value}";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
        }
    }

    /// <summary>Generation on a worker, loading here, through a bounded channel (as the seeder does).</summary>
    private async Task<long> PipelinedAsync(BenchDatabase db, RawTable table)
    {
        var channel = Channel.CreateBounded<object?[]>(new BoundedChannelOptions(ChannelCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var row in table.Generate(options.Seed))
                    {
                        if (!channel.Writer.TryWrite(row))
                        {
                            await channel.Writer.WriteAsync(row, stop.Token);
                        }
                    }

                    channel.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    channel.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);
        try
        {
            return await db.LoadAsync(table, channel.Reader.ReadAllAsync(stop.Token), cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }

    private static string DescribeLoader(IDatabaseInstance instance) => instance.BulkLoader switch
    {
        PostgresBulkLoader => "binary COPY",
        MySqlBulkLoader { LastMode: MySqlBulkMode.BulkCopy } => "MySqlBulkCopy (LOAD DATA LOCAL INFILE)",
        MySqlBulkLoader => "multi-row INSERT (local_infile is off)",
        PreparedInsertLoader => "prepared INSERT, one transaction",
        var other => other.GetType().Name,
    };

    private async Task<BenchDatabase> CreateAsync(Workload workload, string ddl)
    {
        var instance = await engine.CreateDatabaseAsync(new DatabaseRequest("bench " + workload.ToString().ToLowerInvariant(), IsolationMode.Database), cancellationToken);
        try
        {
            var connection = await instance.OpenConnectionAsync(cancellationToken);
            await using (connection)
            {
                var command = connection.CreateCommand();
                await using (command)
                {
                    command.CommandText = ddl;
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            return new BenchDatabase(instance, await instance.InspectSchemaAsync(cancellationToken), output, cancellationToken);
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh database with the workload's tables, and one open connection for loading.</summary>
    private sealed class BenchDatabase(IDatabaseInstance instance, SchemaSnapshot schema, TextWriter output, CancellationToken cancellationToken) : IAsyncDisposable
    {
        private DbConnection? _connection;

        public IDatabaseInstance Instance => instance;

        public async Task<long> LoadAsync(RawTable raw, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
        {
            var table = schema.Tables.Single(t => t.Name.Name == raw.Name);
            var columns = raw.Columns.Select(c => table.FindColumn(c) ?? throw new InvalidOperationException($"{raw.Name} has no column {c}")).ToList();
            _connection ??= await instance.OpenConnectionAsync(ct);
            return await instance.BulkLoader.LoadAsync(_connection, table, columns, rows, ct);
        }

        /// <summary>Checks that every table holds the rows it should, so a fast number is never a wrong one.</summary>
        public async Task VerifyAsync(IReadOnlyList<RawTable> tables, Measurement measurement)
        {
            _connection ??= await instance.OpenConnectionAsync(cancellationToken);
            long total = 0;
            foreach (var raw in tables)
            {
                var command = _connection.CreateCommand();
                await using (command)
                {
                    command.CommandText = "SELECT COUNT(*) FROM " + instance.Dialect.QuoteIdentifier(raw.Name);
                    var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
                    total += count;
                    if (count != raw.Rows)
                    {
                        await output.WriteLineAsync($"warning: {measurement.Name}: {raw.Name} holds {count:N0} rows, expected {raw.Rows:N0}");
                    }
                }
            }

            if (total != measurement.Rows)
            {
                await output.WriteLineAsync($"warning: {measurement.Name}: reported {measurement.Rows:N0} rows, the database holds {total:N0}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }

            await instance.DisposeAsync();
        }
    }
}
