using System.Globalization;
using System.Runtime.InteropServices;
using RollbackVerifier.Benchmarks;
using RollbackVerifier;
using RollbackVerifier.Cli;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;

var options = BenchOptions.Parse(args, out var error);
if (options is null)
{
    var help = ReferenceEquals(error, BenchOptions.Usage);
    (help ? Console.Out : Console.Error).WriteLine(error);
    return help ? 0 : 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Stop measuring, but let the engines remove their containers and databases.
    e.Cancel = true;
    cancel.Cancel();
};

// Results go to standard output; everything else (Testcontainers' progress log, which writes to the console) to
// standard error, so that `> results.txt` keeps just the tables.
var output = Console.Out;
Console.SetOut(Console.Error);
#if DEBUG
const string configuration = "Debug (numbers are not representative: use -c Release)";
#else
const string configuration = "Release";
#endif
output.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"RollbackVerifier.Benchmarks  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {RuntimeInformation.FrameworkDescription}  {configuration}"));
output.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} CPUs, server GC {System.Runtime.GCSettings.IsServerGC}; rows {options.Rows:N0} (single table), {options.RowsPerTable:N0} per table (schema), seed {options.Seed}, warm-up {options.WarmupRows:N0} rows, median of {options.Repeat} runs"));

var registry = EngineRegistration.CreateRegistry();
var runId = "b" + EngineSettings.NewRunId();
var ratios = new List<Ratio>();
var exitCode = 0;
foreach (var kind in options.Engines)
{
    var settings = EngineSettings.FromEnvironment(kind, runId);
    settings = kind switch
    {
        EngineKind.Postgres => settings with { Image = options.PostgresImage },
        EngineKind.MySql => settings with { Image = options.MySqlImage },
        _ => settings with { Image = null, ServerUrl = null },
    };

    var engine = registry.Create(kind, settings);
    await using (engine)
    {
        try
        {
            output.WriteLine();
            output.WriteLine($"== {kind.ToName()}: {engine.Description} ==");
            if (kind == EngineKind.MySql && options.MySqlLocalInfile is { } localInfile)
            {
                if (settings.ServerUrl is not null)
                {
                    Console.Error.WriteLine("--mysql-local-infile changes a global setting: only on the benchmark's own container, not with RV_MYSQL_URL.");
                    return 2;
                }

                await EngineBench.SetGlobalAsync(engine, "local_infile", localInfile ? "1" : "0", cancel.Token);
            }

            if (options.WarmupRows > 0)
            {
                // A small pass first, not reported: JIT compilation and the first container start are not what is measured.
                var warmup = options with { Rows = options.WarmupRows, RowsPerTable = Math.Max(1, options.WarmupRows / SchemaWorkload.TableCount), Repeat = 1 };
                await new EngineBench(engine, warmup, TextWriter.Null, cancel.Token).RunAsync();
            }

            ratios.AddRange(await new EngineBench(engine, options, output, cancel.Token).RunAsync());
        }
        catch (EngineUnavailableException ex)
        {
            Console.Error.WriteLine($"{kind.ToName()}: {ex.Message}");
            exitCode = 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
    }
}

if (ratios.Count > 0)
{
    output.WriteLine();
    output.WriteLine("Summary: planner both / raw both (target >= 75%)");
    output.WriteLine($"{"engine",-10} {"workload",-9} {"raw both rows/s",16} {"planner both rows/s",20} {"ratio",8}");
    foreach (var r in ratios)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Engine,-10} {r.Workload,-9} {r.RawBoth,16:N0} {r.PlannerBoth,20:N0} {r.Value,8:P1}"));
    }
}

return exitCode;
