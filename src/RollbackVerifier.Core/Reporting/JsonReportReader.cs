using System.Globalization;
using System.Text.Json;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Reporting;

/// <summary>A JSON report that cannot be read back: names the file and the JSON path (or line) of the problem.</summary>
public class ReportFormatException : RollbackVerifierException
{
    public ReportFormatException() { }

    public ReportFormatException(string message) : base(message) { }

    public ReportFormatException(string message, Exception innerException) : base(message, innerException) { }

    public ReportFormatException(string file, string? location, string problem, Exception? innerException = null)
        : base(location is null ? $"{file}: {problem}" : $"{file}: {location}: {problem}", innerException!)
    {
        File = file;
    }

    /// <summary>The file that could not be read.</summary>
    public string? File { get; }
}

/// <summary>A JSON file that is valid JSON but not a RollbackVerifier report (no <c>tool.name</c> "rollback-verifier").</summary>
public sealed class NotAReportException : ReportFormatException
{
    public NotAReportException() { }

    public NotAReportException(string message) : base(message) { }

    public NotAReportException(string message, Exception innerException) : base(message, innerException) { }

    public NotAReportException(string file, string problem) : base(file, null, problem) { }
}

/// <summary>A report read back from JSON, with the properties this version does not know (they are not kept).</summary>
/// <param name="Report">The report.</param>
/// <param name="UnknownProperties">JSON paths of properties the reader skipped, e.g. <c>results[0].locks</c>.</param>
public sealed record ReadReport(VerificationReport Report, IReadOnlyList<string> UnknownProperties);

/// <summary>
/// Reads the JSON report (docs/report-json.md, schema version 1) back into a <see cref="VerificationReport"/>, so the
/// reports of several shards can be merged. The inverse of <see cref="JsonReportWriter"/>: rendering what it reads gives
/// the same text. Derived properties (summary, success, finding names, attack sentences) are recomputed, not read.
/// Properties added to version 1 after its first release are optional here, as older reports lack them.
/// </summary>
public static class JsonReportReader
{
    /// <summary>Reads a report file.</summary>
    /// <exception cref="ReportFormatException">The file cannot be read, is not valid JSON, has another schema version, or lacks a property.</exception>
    public static async Task<ReadReport> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReportFormatException(path, null, $"cannot read the report: {ex.Message}", ex);
        }

        return Read(text, path);
    }

    /// <summary>Reads report text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ReportFormatException">See <see cref="ReadAsync"/>.</exception>
    public static ReadReport Read(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? $"line {l + 1}" : null;
            throw new ReportFormatException(source, line, $"not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var reader = new Reader(source);
            return new ReadReport(reader.Report(document.RootElement), reader.Unknown);
        }
    }

    /// <summary>Reads one document, collecting unknown property paths.</summary>
    private sealed class Reader(string source)
    {
        public List<string> Unknown { get; } = [];

        public VerificationReport Report(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("tool", out var tool) || tool.ValueKind != JsonValueKind.Object
                || !tool.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString() != "rollback-verifier")
            {
                throw new NotAReportException(source, "not a RollbackVerifier report (it has no \"tool\": {\"name\": \"rollback-verifier\"})");
            }

            var top = new Node(this, root, string.Empty).Expect(["schemaVersion", "tool", "startedAt", "durationMs", "success", "shard", "summary", "results"]);
            var version = top.Element("schemaVersion");
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var schema) || schema != JsonReportWriter.SchemaVersion)
            {
                throw new ReportFormatException(source, "schemaVersion", $"schema version {version.GetRawText()} is not supported (this version reads schema version {JsonReportWriter.SchemaVersion})");
            }

            var toolNode = top.Object("tool", ["name", "version"]);
            var started = top.String("startedAt");
            if (!DateTimeOffset.TryParse(started, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var startedAt))
            {
                throw Error("startedAt", $"'{started}' is not an ISO 8601 time");
            }

            top.Element("success");
            top.Element("summary");
            return new VerificationReport(
                toolNode.String("version"),
                startedAt,
                TimeSpan.FromMilliseconds(top.Long("durationMs")),
                top.Array("results").Select(Result).ToList())
            {
                Shard = ShardOf(top),
            };
        }

        public ReportFormatException Error(string path, string problem) => new(source, path.Length == 0 ? null : path, problem);

        /// <summary>"shard" came after the first version-1 reports, so it may be absent.</summary>
        private Shard? ShardOf(Node top)
        {
            if (!top.Has("shard") || top.IsNull("shard"))
            {
                return null;
            }

            var shard = top.Object("shard", ["index", "count"]);
            var (index, count) = ((int)shard.Long("index"), (int)shard.Long("count"));
            return count >= 1 && index >= 1 && index <= count ? new Shard(index, count) : throw Error(shard.Path, $"shard {index}/{count} is not a valid shard");
        }

        private ScenarioResult Result(Node r)
        {
            r.Expect(["scenario", "directory", "engine", "serverVersion", "verdict", "meetsExpectation", "expectationProblems", "reason", "failedStatement", "timings", "seeding", "findings", "history", "staticAnalysis", "runAnalysis", "checklist", "commandSteps", "ignoredTables", "seed", "reproduce"]);
            return new ScenarioResult(
                r.String("scenario"),
                r.String("directory"),
                r.Enum("engine", EngineKinds.All, e => e.ToName()),
                r.NullableString("serverVersion"),
                r.Enum("verdict", Enum.GetValues<Verdict>(), v => v.ToKebab()),
                r.Bool("meetsExpectation"),
                r.Array("expectationProblems").Select(p => p.AsString()).ToList(),
                r.Array("findings").Select(Finding).ToList(),
                r.IsNull("failedStatement") ? null : Failure(r.Object("failedStatement", ["phase", "file", "number", "line", "text", "errorCode", "errorMessage"])),
                r.Object("timings", null).Properties().Select(t => new PhaseTiming(t.Name, TimeSpan.FromMilliseconds(t.Value.AsDouble()))).ToList(),
                r.NullableString("reason"),
                r.Array("seeding").Select(Seeding).ToList())
            {
                RunAnalysis = r.Has("runAnalysis") && !r.IsNull("runAnalysis") ? RunAnalysisOf(r.Object("runAnalysis", ["statements", "atomicity"])) : null,
                // seed and reproduce are absent in reports written before they existed.
                Seed = r.Has("seed") ? (int?)r.NullableLong("seed") : null,
                Reproduce = r.Has("reproduce") ? r.NullableString("reproduce") : null,
                History = r.Has("history") && !r.IsNull("history") ? HistoryOf(r.Object("history", ["format", "folder", "version", "migration", "index", "count", "unit", "chainStoppedAt"])) : null,
                StaticAnalysis = r.Has("staticAnalysis") && !r.IsNull("staticAnalysis")
                    ? StaticAnalysisOf(r.Object("staticAnalysis", ["statements", "confirmations", "disabled", "notUnderstood"]))
                    : null,
                CommandSteps = r.Has("commandSteps") ? r.Array("commandSteps").Select(CommandStepOf).ToList() : [],
                IgnoredTables = r.Has("ignoredTables")
                    ? r.Array("ignoredTables").Select(t => new IgnoredTable(t.Expect(["table", "reason", "source"]).String("table"), t.String("reason"), t.String("source"))).ToList()
                    : [],
                Checklist = r.Has("checklist") && !r.IsNull("checklist")
                    ? ChecklistOf(r.Object("checklist", ["file", "serverVersion", "checks", "notes"]), r.String("scenario"), r.Enum("engine", EngineKinds.All, e => e.ToName()))
                    : null,
            };
        }

        /// <summary>"history" (the result's place in a migration history, verify --history); absent in reports written before it existed.</summary>
        private static Scenarios.Histories.HistoryPosition HistoryOf(Node h) =>
            new(h.String("format"), h.String("folder"), h.String("version"), h.String("migration"), (int)h.Long("index"), (int)h.Long("count"))
            {
                Unit = h.Array("unit").Select(u => u.AsString()).ToList(),
                ChainStoppedAt = h.NullableString("chainStoppedAt"),
            };

        /// <summary>
        /// "staticAnalysis" (what the static rules read); absent in reports written before it existed. Its findings are
        /// in the result's findings; the confirmations come back as counts, which is all the report shows of them.
        /// </summary>
        private static Analysis.StaticAnalysisResult StaticAnalysisOf(Node a)
        {
            var statements = a.Object("statements", null).Properties().ToDictionary(p => p.Name, p => (int)p.Value.AsDouble(), StringComparer.Ordinal);
            var confirmations = new List<Analysis.ConfirmationStatus>();
            var counts = a.Object("confirmations", null);
            foreach (var status in Enum.GetValues<Analysis.ConfirmationStatus>())
            {
                var name = Analysis.StaticAnalyzer.Kebab(status);
                if (counts.Has(name))
                {
                    confirmations.AddRange(Enumerable.Repeat(status, (int)counts.Long(name)));
                }
            }

            var disabled = a.Array("disabled").Select(d =>
            {
                d.Expect(["code", "name", "reason"]);
                return new Analysis.DisabledRule(d.String("code"), d.String("reason"));
            }).ToList();
            var notUnderstood = a.Array("notUnderstood").Select(n =>
            {
                n.Expect(["file", "line", "statement", "reason"]);
                return new Analysis.NotUnderstoodStatement(n.String("file"), (int)n.Long("line"), n.String("statement"), n.String("reason"));
            }).ToList();
            return new Analysis.StaticAnalysisResult([], disabled, notUnderstood, statements) { Confirmations = confirmations };
        }

        /// <summary>One entry of "commandSteps" (an external command that ran, with its output); absent in reports written before it existed.</summary>
        private static CommandStepRun CommandStepOf(Node s)
        {
            s.Expect(["phase", "command", "shell", "workdir", "location", "exitCode", "timedOut", "timeoutMs", "durationMs", "output", "outputTruncated", "outputLines"]);
            return new CommandStepRun(
                s.Enum("phase", Enum.GetValues<Phase>(), p => p.ToString().ToLowerInvariant()),
                s.String("command"),
                s.Bool("shell"),
                s.String("workdir"),
                s.String("location"),
                (int?)s.NullableLong("exitCode"),
                s.Bool("timedOut"),
                TimeSpan.FromMilliseconds(s.Long("timeoutMs")),
                TimeSpan.FromMilliseconds(s.Double("durationMs")),
                s.String("output"),
                s.Bool("outputTruncated"),
                (int)s.Long("outputLines"));
        }

        /// <summary>"checklist" (the pre-rollback checks and what they counted on the test database); absent in reports written before it existed.</summary>
        private static Preflight.ChecklistRun ChecklistOf(Node c, string scenario, EngineKind engine)
        {
            var checks = new List<Preflight.PreflightCheck>();
            var counts = new List<Preflight.CheckOutcome>();
            var evidence = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var k in c.Array("checks"))
            {
                k.Expect(["id", "kind", "table", "object", "effect", "counts", "what", "why", "ifNotZero", "sql", "attacks", "testDatabase", "evidence"]);
                var id = k.String("id");
                checks.Add(new Preflight.PreflightCheck(
                    id,
                    k.Enum("kind", Enum.GetValues<Preflight.CheckKind>(), Preflight.ChecklistFile.ToKebab),
                    k.String("object"),
                    k.String("what"),
                    k.String("why"),
                    k.String("sql"),
                    k.String("ifNotZero"),
                    k.Enum("effect", Enum.GetValues<Preflight.CheckEffect>(), e => e.ToString().ToLowerInvariant()),
                    k.String("counts"))
                {
                    Table = k.String("table"),
                    Attacks = k.Array("attacks").Select(a => a.AsString()).ToList(),
                });
                var test = k.Object("testDatabase", ["count", "sampleKeys", "error"]);
                var sampleKeys = test.Array("sampleKeys").Select(a => a.AsString()).ToList();
                var error = test.NullableString("error");
                if (test.NullableLong("count") is { } count || sampleKeys.Count > 0 || error is not null)
                {
                    counts.Add(new Preflight.CheckOutcome(id, test.NullableLong("count"), sampleKeys, error));
                }

                var lines = k.Array("evidence").Select(a => a.AsString()).ToList();
                if (lines.Count > 0)
                {
                    evidence[id] = lines;
                }
            }

            var notes = c.Array("notes").Select(n =>
            {
                n.Expect(["object", "text", "irreversible"]);
                return new Preflight.ChecklistNote(n.String("object"), n.String("text"), n.Bool("irreversible"));
            }).ToList();
            return new Preflight.ChecklistRun(new Preflight.Checklist(scenario, engine, c.NullableString("serverVersion"), checks, notes), counts, evidence);
        }

        /// <summary>"runAnalysis" (locks, rebuilds, atomicity); absent in reports written before it existed.</summary>
        private static Execution.Analysis.RunAnalysis RunAnalysisOf(Node a)
        {
            var statements = a.Array("statements").Select(s =>
            {
                s.Expect(["number", "line", "file", "summary", "durationMs", "inTransaction", "failed", "note", "locks", "tables", "alter"]);
                return new Execution.Analysis.StatementRun((int)s.Long("number"), (int)s.Long("line"), s.String("file"), s.String("summary"), s.Double("durationMs"), s.Bool("inTransaction"))
                {
                    Failed = s.Bool("failed"),
                    Note = s.NullableString("note"),
                    Locks = s.Array("locks").Select(l =>
                    {
                        l.Expect(["relation", "relationKind", "table", "mode", "blocksReads", "blocksWrites", "visible", "rows", "heldMs", "releasedAt", "heldUntil", "source"]);
                        return new Execution.Analysis.RelationLock(
                            l.String("relation"), l.String("relationKind"), l.String("table"), l.String("mode"), l.Bool("blocksReads"), l.Bool("blocksWrites"), l.Bool("visible"),
                            l.Double("heldMs"), (int?)l.NullableLong("releasedAt"), l.String("heldUntil"), l.String("source"))
                        {
                            Rows = l.NullableLong("rows"),
                        };
                    }).ToList(),
                    Tables = s.Array("tables").Select(t =>
                    {
                        t.Expect(["table", "rewritten", "rowsRead", "rowsWritten", "scalesWithRows"]);
                        return new Execution.Analysis.TableWork(t.String("table"), t.Bool("rewritten"), t.Long("rowsRead"), t.Long("rowsWritten"));
                    }).ToList(),
                    Alter = s.IsNull("alter") ? null : AlterOf(s.Object("alter", ["table", "algorithm", "rebuilt", "rowsAffected", "rows", "method", "reason"])),
                };
            }).ToList();
            Execution.Analysis.AtomicityReport? atomicity = null;
            if (!a.IsNull("atomicity"))
            {
                var t = a.Object("atomicity", ["mode", "limit", "cloneMethod", "candidates", "durationMs", "skipped", "points"]);
                atomicity = new Execution.Analysis.AtomicityReport(
                    t.String("mode"),
                    (int)t.Long("limit"),
                    t.NullableString("cloneMethod"),
                    (int)t.Long("candidates"),
                    t.Array("points").Select(p =>
                    {
                        p.Expect(["afterStatement", "line", "summary", "state", "applied", "remaining"]);
                        return new Execution.Analysis.AtomicityPoint(
                            (int)p.Long("afterStatement"),
                            (int)p.Long("line"),
                            p.String("summary"),
                            p.Enum("state", Enum.GetValues<Execution.Analysis.AtomicityState>(), RunAnalysisJson.StateName),
                            p.Array("applied").Select(x => x.AsString()).ToList(),
                            p.Array("remaining").Select(x => x.AsString()).ToList());
                    }).ToList(),
                    t.Double("durationMs"),
                    t.NullableString("skipped"));
            }

            return new Execution.Analysis.RunAnalysis(statements, atomicity);
        }

        private static Execution.Analysis.AlterAlgorithm AlterOf(Node a) =>
            new(a.String("table"), a.String("algorithm"), a.IsNull("rebuilt") ? null : a.Bool("rebuilt"), a.NullableLong("rowsAffected"), a.String("method"), a.NullableString("reason"))
            {
                Rows = a.NullableLong("rows"),
            };

        private static StatementFailure Failure(Node f) =>
            new(
                f.Enum("phase", Enum.GetValues<Phase>(), p => p.ToString().ToLowerInvariant()),
                f.String("file"),
                (int)f.Long("number"),
                (int)f.Long("line"),
                f.String("text"),
                f.String("errorCode"),
                f.String("errorMessage"));

        private static SeedTableSummary Seeding(Node s)
        {
            s.Expect(["table", "phase", "inserted", "updated", "deleted", "skipped", "skipReason", "attacks", "adversarial"]);
            s.Element("attacks");
            return new SeedTableSummary(
                s.String("table"),
                s.String("phase"),
                s.Long("inserted"),
                s.Long("updated"),
                s.Long("deleted"),
                s.Long("skipped"),
                s.NullableString("skipReason"),
                s.Array("adversarial").Select(a =>
                {
                    a.Expect(["kind", "columns", "description", "rows", "refused", "refusedReason"]);
                    return new SeedAttack(a.String("kind"), a.Array("columns").Select(c => c.AsString()).ToList(), a.String("description"), a.Long("rows"), a.Long("refused"), a.NullableString("refusedReason"));
                }).ToList());
        }

        private Finding Finding(Node f)
        {
            f.Expect(["code", "name", "severity", "object", "message", "before", "after", "evidence", "acceptedReason"]);
            var code = f.String("code");
            if (!FindingCodes.TryGet(code, out var known) || !string.Equals(known.Code, code, StringComparison.Ordinal))
            {
                throw Error(f.Path + ".code", $"unknown finding code '{code}' (written by a newer version of rollback-verifier?)");
            }

            f.Element("name");
            var evidence = f.Object("evidence", ["count", "sampleKeys", "details"]);
            return new Finding(
                code,
                f.Enum("severity", Enum.GetValues<Severity>(), s => s.ToString().ToLowerInvariant()),
                f.String("object"),
                f.String("message"),
                f.NullableString("before"),
                f.NullableString("after"),
                new Evidence(
                    evidence.IsNull("count") ? null : evidence.Long("count"),
                    evidence.Array("sampleKeys").Select(k => k.AsString()).ToList(),
                    evidence.Object("details", null).Properties().ToDictionary(d => d.Name, d => d.Value.AsString(), StringComparer.Ordinal)))
            {
                AcceptedReason = f.NullableString("acceptedReason"),
            };
        }

        /// <summary>An element with its JSON path; reading a property marks it known, Expect lists the known ones.</summary>
        private readonly struct Node(Reader reader, JsonElement element, string path)
        {
            public string Path { get; } = path;

            public Node Expect(string[] names)
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw reader.Error(Path, $"expected an object, found {element.ValueKind.ToString().ToLowerInvariant()}");
                }

                foreach (var property in element.EnumerateObject())
                {
                    if (!names.Contains(property.Name, StringComparer.Ordinal))
                    {
                        reader.Unknown.Add(Join(property.Name));
                    }
                }

                return this;
            }

            public JsonElement Element(string name)
            {
                return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
                    ? value
                    : throw reader.Error(Path, $"missing property \"{name}\"");
            }

            public bool Has(string name) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out _);

            public bool IsNull(string name) => Element(name).ValueKind == JsonValueKind.Null;

            public string String(string name) => Child(name).AsString();

            public string? NullableString(string name) => IsNull(name) ? null : String(name);

            public long Long(string name)
            {
                var value = Element(name);
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : throw reader.Error(Join(name), $"expected an integer, found {value.GetRawText()}");
            }

            public long? NullableLong(string name) => IsNull(name) ? null : Long(name);

            public double Double(string name) => Child(name).AsDouble();

            public bool Bool(string name)
            {
                var value = Element(name);
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw reader.Error(Join(name), $"expected true or false, found {value.GetRawText()}");
            }

            public T Enum<T>(string name, IEnumerable<T> values, Func<T, string> toName)
            {
                var text = String(name);
                foreach (var value in values)
                {
                    if (toName(value) == text)
                    {
                        return value;
                    }
                }

                throw reader.Error(Join(name), $"unknown value '{text}' (expected {string.Join(", ", values.Select(toName))})");
            }

            public Node Object(string name, string[]? names)
            {
                var child = Child(name);
                if (child.Kind != JsonValueKind.Object)
                {
                    throw reader.Error(child.Path, $"expected an object, found {child.Kind.ToString().ToLowerInvariant()}");
                }

                return names is null ? child : child.Expect(names);
            }

            public IEnumerable<Node> Array(string name)
            {
                var child = Child(name);
                if (child.Kind != JsonValueKind.Array)
                {
                    throw reader.Error(child.Path, $"expected an array, found {child.Kind.ToString().ToLowerInvariant()}");
                }

                return child.Items();
            }

            public JsonValueKind Kind => element.ValueKind;

            public string AsString() => element.ValueKind == JsonValueKind.String ? element.GetString()! : throw reader.Error(Path, $"expected a string, found {element.GetRawText()}");

            public double AsDouble() => element.ValueKind == JsonValueKind.Number ? element.GetDouble() : throw reader.Error(Path, $"expected a number, found {element.GetRawText()}");

            public IEnumerable<(string Name, Node Value)> Properties()
            {
                var (r, p) = (reader, Path);
                return element.EnumerateObject().Select(property => (property.Name, new Node(r, property.Value, p + "." + property.Name))).ToList();
            }

            private List<Node> Items()
            {
                var (r, p) = (reader, Path);
                return element.EnumerateArray().Select((item, i) => new Node(r, item, p + "[" + i.ToString(CultureInfo.InvariantCulture) + "]")).ToList();
            }

            private Node Child(string name) => new(reader, Element(name), Join(name));

            private string Join(string name) => Path.Length == 0 ? name : Path + "." + name;
        }
    }
}
