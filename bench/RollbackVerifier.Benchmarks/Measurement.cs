using System.Diagnostics;
using System.Globalization;

namespace RollbackVerifier.Benchmarks;

/// <summary>One measured run: rows, wall time and managed memory.</summary>
/// <param name="Name">What was measured ("raw both", ...).</param>
/// <param name="Rows">Rows generated or written (null when the measurement is not available).</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="AllocatedBytes">Managed bytes allocated during the run (GC.GetTotalAllocatedBytes).</param>
/// <param name="PeakHeapBytes">Largest managed heap seen during the run (sampled), including data held before it started.</param>
/// <param name="Note">Shown after the numbers.</param>
internal sealed record Measurement(string Name, long? Rows, TimeSpan Elapsed, long AllocatedBytes, long PeakHeapBytes, string? Note = null)
{
    /// <summary>CPU time this process used during the run (all threads): how much of the wall time the client itself costs.</summary>
    public TimeSpan ProcessCpu { get; init; }

    /// <summary>(fastest - slowest) / median rows/s over the repeated runs, when there were several.</summary>
    public double? Spread { get; init; }

    public double RowsPerSecond => Rows is { } rows && Elapsed > TimeSpan.Zero ? rows / Elapsed.TotalSeconds : 0;

    public static Measurement NotAvailable(string name, string note) => new(name, null, TimeSpan.Zero, 0, 0, note);

    /// <summary>Runs <paramref name="run"/> (which returns its row count) after a full collection, timing it and sampling the heap.</summary>
    public static async Task<Measurement> RunAsync(string name, Func<Task<long>> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var stop = new CancellationTokenSource();
        var peak = GC.GetTotalMemory(forceFullCollection: false);
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                try
                {
                    await Task.Delay(5, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long rows;
        try
        {
            rows = await run();
        }
        finally
        {
            clock.Stop();
            await stop.CancelAsync();
            await sampler;
        }

        peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
        peak = Math.Max(peak, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes);
        process.Refresh();
        return new Measurement(name, rows, clock.Elapsed, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, peak)
        {
            ProcessCpu = process.TotalProcessorTime - cpuBefore,
        };
    }

    public static void PrintTable(TextWriter output, string title, IReadOnlyList<Measurement> measurements)
    {
        output.WriteLine();
        output.WriteLine(title);
        output.WriteLine(new string('-', title.Length));
        output.WriteLine($"{"measurement",-24} {"rows",10} {"seconds",9} {"rows/s",11} {"spread",7} {"client CPU s",12} {"alloc MB",10} {"peak heap MB",13}");
        foreach (var m in measurements)
        {
            if (m.Rows is null)
            {
                output.WriteLine($"{m.Name,-24} {"-",10} {"-",9} {"-",11} {"-",7} {"-",12} {"-",10} {"-",13}  {m.Note}");
                continue;
            }

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{m.Name,-24} {m.Rows,10:N0} {m.Elapsed.TotalSeconds,9:F3} {m.RowsPerSecond,11:N0} {(m.Spread is { } spread ? spread.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", string.Empty, StringComparison.Ordinal) : "-"),7} {m.ProcessCpu.TotalSeconds,12:F3} {m.AllocatedBytes / 1048576.0,10:F1} {m.PeakHeapBytes / 1048576.0,13:F1}{(m.Note is null ? string.Empty : "  " + m.Note)}"));
        }
    }
}
