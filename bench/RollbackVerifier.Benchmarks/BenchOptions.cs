using System.Globalization;
using RollbackVerifier.Model;

namespace RollbackVerifier.Benchmarks;

/// <summary>Which schema a measurement uses.</summary>
internal enum Workload
{
    /// <summary>One typical 8-column table.</summary>
    Single,

    /// <summary>Ten tables joined by foreign keys.</summary>
    Schema,
}

/// <summary>Command-line options.</summary>
/// <param name="Engines">Engines to measure, in order.</param>
/// <param name="Rows">Rows of the single table, and the total of the ten-table schema.</param>
/// <param name="RowsPerTable">Rows per table of the ten-table schema.</param>
/// <param name="PostgresImage">PostgreSQL image (default RV_POSTGRES_IMAGE, else the engine's default).</param>
/// <param name="MySqlImage">MySQL/MariaDB image (default RV_MYSQL_IMAGE, else the engine's default).</param>
/// <param name="Workloads">Schemas to measure.</param>
/// <param name="Seed">Seed of every generator.</param>
/// <param name="WarmupRows">Rows of an unreported first pass per engine (JIT, first container start); 0 for none.</param>
/// <param name="Repeat">Runs of every measurement; the median is reported.</param>
/// <param name="MySqlLocalInfile">Sets the MySQL container's local_infile (true: MySqlBulkCopy, false: INSERT batches); null leaves the server's own.</param>
internal sealed record BenchOptions(
    IReadOnlyList<EngineKind> Engines,
    int Rows,
    int RowsPerTable,
    string? PostgresImage,
    string? MySqlImage,
    IReadOnlyList<Workload> Workloads,
    int Seed,
    int WarmupRows,
    int Repeat,
    bool? MySqlLocalInfile)
{
    public const int DefaultRows = 200_000;

    public const string Usage = """
        RollbackVerifier.Benchmarks: rows per second of generating and bulk loading seed rows.

        Options:
          --engine LIST          postgres,mysql,sqlite (default: all three)
          --rows N               rows of the single 8-column table (default 200000); the ten-table schema gets
                                 N / 10 rows per table unless --rows-per-table is given
          --rows-per-table N     rows per table of the ten-table schema (default 20000)
          --workload LIST        single,schema (default: both)
          --postgres-image IMG   default RV_POSTGRES_IMAGE, else the engine's default image
          --mysql-image IMG      default RV_MYSQL_IMAGE, else the engine's default image
          --seed N               generator seed (default 12345)
          --warmup N             rows of an unreported warm-up pass per engine (default 20000; 0: none)
          --repeat N             runs of every measurement, the median is reported (default 3)
          --mysql-local-infile on|off
                                 SET GLOBAL local_infile on the MySQL container first, to measure MySqlBulkCopy (on) or
                                 the multi-row INSERT fallback (off); default: the server's own setting (MariaDB: on,
                                 MySQL 8: off)
          --help

        Containers need Docker: bash eng/start-docker.sh; source eng/ci-env.sh (for the local images).
        """;

    /// <summary>Parses the arguments; null with <paramref name="error"/> set when they are wrong (or --help).</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        IReadOnlyList<EngineKind> engines = EngineKinds.All;
        IReadOnlyList<Workload> workloads = [Workload.Single, Workload.Schema];
        int rows = DefaultRows, seed = 12345, warmup = 20_000, repeat = 3;
        bool? localInfile = null;
        int? perTable = null;
        var postgres = Environment.GetEnvironmentVariable("RV_POSTGRES_IMAGE");
        var mysql = Environment.GetEnvironmentVariable("RV_MYSQL_IMAGE");
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                error = Usage;
                return null;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value.\n\n{Usage}";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--engine":
                    var kinds = new List<EngineKind>();
                    foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!EngineKinds.TryParse(part, out var kind))
                        {
                            error = $"Unknown engine '{part}' (postgres, mysql, sqlite).";
                            return null;
                        }

                        kinds.Add(kind);
                    }

                    engines = kinds.Distinct().ToList();
                    break;
                case "--rows":
                    if (!TryPositive(value, out rows))
                    {
                        error = $"--rows needs a positive number, got '{value}'.";
                        return null;
                    }

                    break;
                case "--rows-per-table":
                    if (!TryPositive(value, out var n))
                    {
                        error = $"--rows-per-table needs a positive number, got '{value}'.";
                        return null;
                    }

                    perTable = n;
                    break;
                case "--workload":
                    var list = new List<Workload>();
                    foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        switch (part.ToLowerInvariant())
                        {
                            case "single":
                                list.Add(Workload.Single);
                                break;
                            case "schema":
                                list.Add(Workload.Schema);
                                break;
                            default:
                                error = $"Unknown workload '{part}' (single, schema).";
                                return null;
                        }
                    }

                    workloads = list.Distinct().ToList();
                    break;
                case "--postgres-image":
                    postgres = value;
                    break;
                case "--mysql-image":
                    mysql = value;
                    break;
                case "--seed":
                    if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
                    {
                        error = $"--seed needs a number, got '{value}'.";
                        return null;
                    }

                    break;
                case "--mysql-local-infile":
                    switch (value.ToLowerInvariant())
                    {
                        case "on" or "1" or "true":
                            localInfile = true;
                            break;
                        case "off" or "0" or "false":
                            localInfile = false;
                            break;
                        default:
                            error = $"--mysql-local-infile needs on or off, got '{value}'.";
                            return null;
                    }

                    break;
                case "--repeat":
                    if (!TryPositive(value, out repeat))
                    {
                        error = $"--repeat needs a positive number, got '{value}'.";
                        return null;
                    }

                    break;
                case "--warmup":
                    if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out warmup) || warmup < 0)
                    {
                        error = $"--warmup needs a number >= 0, got '{value}'.";
                        return null;
                    }

                    break;
                default:
                    error = $"Unknown option '{name}'.\n\n{Usage}";
                    return null;
            }
        }

        return new BenchOptions(
            engines,
            rows,
            perTable ?? Math.Max(1, rows / SchemaWorkload.TableCount),
            string.IsNullOrWhiteSpace(postgres) ? null : postgres,
            string.IsNullOrWhiteSpace(mysql) ? null : mysql,
            workloads,
            seed,
            warmup,
            repeat,
            localInfile);
    }

    private static bool TryPositive(string text, out int value) =>
        int.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value > 0;
}
