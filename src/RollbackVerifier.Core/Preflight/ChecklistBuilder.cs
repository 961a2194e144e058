using System.Globalization;
using RollbackVerifier.Diffing;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Seeding;

namespace RollbackVerifier.Preflight;

/// <summary>What a checklist is derived from.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Before">Schema before the forward migration (S0).</param>
/// <param name="After">Schema after it (S1): the state production is in.</param>
/// <param name="Rollback">The rollback script, read statically for deletes, drops, renames and sequence resets.</param>
/// <param name="Dialect">The engine's SQL rules.</param>
/// <param name="ServerVersion">The version of the server the checks will run on, when known.</param>
public sealed record ChecklistInput(string Scenario, SchemaSnapshot Before, SchemaSnapshot After, ScriptSource? Rollback, IPreflightDialect Dialect, string? ServerVersion);

/// <summary>
/// Derives the pre-rollback checklist: for every rule the forward relaxed (<see cref="Relaxations"/>) a query counting
/// the rows that break it once the rollback restores it; for the data the rollback discards (tables and columns the
/// forward created, rows it deletes or drops) a query counting what would be lost; for sequences it resets, the keys it
/// would hand out again. What no query can count becomes a note. Tables and columns are named as after the forward
/// migration, the state production is in.
/// </summary>
public static class ChecklistBuilder
{
    public static Checklist Build(ChecklistInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = new Context(input);
        context.Run();
        return new Checklist(input.Scenario, input.Dialect.Kind, input.ServerVersion, context.Checks, context.Notes)
        {
            HowToRun = input.Dialect.HowToRunReadOnly(ChecklistFile.FileName(input.Dialect.Kind)),
        };
    }

    private sealed class Context(ChecklistInput input)
    {
        private readonly IPreflightDialect _d = input.Dialect;
        private readonly EngineKind _engine = input.Dialect.Kind;
        private readonly IReadOnlyList<RollbackAction> _actions = RollbackIntent.Read(input.Rollback, input.Dialect);
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

        public List<PreflightCheck> Checks { get; } = [];

        public List<ChecklistNote> Notes { get; } = [];

        public void Run()
        {
            var mapped = new HashSet<Table>(ReferenceEqualityComparer.Instance);
            foreach (var t0 in input.Before.Tables)
            {
                var t1 = Relaxations.Successor(t0, input.After);
                if (t1 is null)
                {
                    if (!RenamedBackTo(t0.Name.Name))
                    {
                        Notes.Add(new ChecklistNote(
                            t0.Name.ToString(),
                            $"The forward migration dropped table {t0.Name}: its rows are no longer in the database. The rollback can only bring them back from a copy the forward kept (a backup table) or from a backup; check that it does.",
                            Irreversible: true));
                    }

                    continue;
                }

                mapped.Add(t1);
                foreach (var c0 in t0.Columns.Where(c => Relaxations.Successor(t0, t1, c.Name) is null && c.GeneratedExpression is null && !RenamedBackTo(c.Name, t1)))
                {
                    Notes.Add(new ChecklistNote(
                        $"{t1.Name}.{c0.Name}",
                        $"The forward migration dropped column {t0.Name}.{c0.Name} ({c0.DataType}): its values are no longer in the database. The rollback can only restore them from a copy the forward kept; re-adding the column brings it back empty.",
                        Irreversible: true));
                }

                foreach (var relaxation in Relaxations.Find(t0, t1, _engine))
                {
                    AddRelaxation(relaxation);
                }

                foreach (var c1 in t1.Columns.Where(c => Relaxations.Counterpart(t0, t1, c) is null && c.GeneratedExpression is null && c.Identity == IdentityKind.None && !RenamedAway(t1, c.Name)))
                {
                    AddNewColumn(t1, c1);
                }
            }

            foreach (var t1 in input.After.Tables.Where(t => !mapped.Contains(t) && !RenamedAway(t, null)))
            {
                AddNewTable(t1);
            }

            foreach (var action in _actions)
            {
                AddAction(action);
            }
        }

        // ------------------------------------------------------------------ rules the rollback restores

        private void AddRelaxation(Relaxation r)
        {
            var t1 = r.After;
            var table = _d.QuoteName(t1.Name);
            switch (r.Kind)
            {
                case AttackKind.Null:
                {
                    var c = Col(r.New!);
                    Add(CheckKind.NotNull, t1, $"{t1.Name}.{r.New!.Name}", "null", RowsOf(t1, [r.New.Name], $"FROM {table}\nWHERE {c} IS NULL"),
                        $"Rows of {t1.Name} whose {r.New.Name} is NULL.",
                        $"The rollback restores NOT NULL on {r.Old!.Name} ({r.Old.DataType} NOT NULL before the migration); SET NOT NULL (or the rebuild's copy) fails on these rows.",
                        $"Decide what these rows get before rolling back: fill {r.New.Name} deliberately in the rollback (UPDATE ... SET {r.New.Name} = ... WHERE {r.New.Name} IS NULL), keep the column nullable, or do not roll back.",
                        CheckEffect.Fails, "rows", ["null"]);
                    break;
                }

                case AttackKind.Length when _d.TooLong(r.Old!, r.New!, Col(r.New!)) is { } tooLong:
                    Add(CheckKind.Length, t1, $"{t1.Name}.{r.New!.Name}", "length", RowsOf(t1, [r.New.Name], $"FROM {table}\nWHERE {tooLong}"),
                        $"Rows of {t1.Name} whose {r.New.Name} is longer than {r.Old!.Length} (old {r.Old.DataType}).",
                        $"The rollback narrows {r.New.Name} back to {r.Old.DataType}; the conversion fails on these values (or, without strict SQL mode, cuts them short).",
                        $"Shorten or move these values deliberately in the rollback (and accept the change), keep the wider type, or do not roll back.",
                        CheckEffect.Fails, "rows", ["length"]);
                    break;
                case AttackKind.Scale:
                {
                    var c = Col(r.New!);
                    var scale = r.Old!.Family == TypeFamily.Integer ? 0 : r.Old.Scale ?? 0;
                    Add(CheckKind.Scale, t1, $"{t1.Name}.{r.New!.Name}", "scale", RowsOf(t1, [r.New.Name], $"FROM {table}\nWHERE {c} <> {_d.Round(c, scale)}"),
                        $"Rows of {t1.Name} whose {r.New.Name} has more than {scale} decimals (old {r.Old.DataType}).",
                        $"The rollback converts {r.New.Name} back to {r.Old.DataType}, which rounds these values silently.",
                        $"Decide whether the rounding is acceptable (and record it), keep the wider type, or archive the exact values before rolling back.",
                        CheckEffect.Changes, "rows", ["scale"]);
                    break;
                }

                case AttackKind.Magnitude:
                    Add(CheckKind.Range, t1, $"{t1.Name}.{r.New!.Name}", "range", RowsOf(t1, [r.New.Name], $"FROM {table}\nWHERE {OutOfRange(r.Old!, r.New)}"),
                        $"Rows of {t1.Name} whose {r.New.Name} is outside what old {r.Old!.DataType} holds.",
                        $"The rollback converts {r.New.Name} back to {r.Old.DataType}; the conversion fails (out of range) on these values.",
                        $"Move or cap these values deliberately in the rollback, keep the wider type, or do not roll back.",
                        CheckEffect.Fails, "rows", ["magnitude"]);
                    break;
                case AttackKind.Conversion:
                    AddConversion(r);
                    break;
                case AttackKind.EnumLabel:
                    AddLabels(r);
                    break;
                case AttackKind.Duplicate:
                    AddDuplicates(r);
                    break;
                case AttackKind.Check:
                    AddCheck(r);
                    break;
                case AttackKind.Orphan:
                    AddOrphans(r);
                    break;
            }
        }

        private void AddConversion(Relaxation r)
        {
            var (t1, old, now) = (r.After, r.Old!, r.New!);
            var c = Col(now);
            if (_d.WillNotConvert(old, c, input.ServerVersion) is not { } fails)
            {
                Notes.Add(new ChecklistNote(
                    $"{t1.Name}.{now.Name}",
                    $"The rollback converts {now.Name} back to {old.DataType}; {_engine.ToName()} {input.ServerVersion} has no reliable read-only test for values that will not convert. Check the values by hand (SELECT DISTINCT {now.Name} ...) before rolling back."));
                return;
            }

            Add(CheckKind.Conversion, t1, $"{t1.Name}.{now.Name}", "conversion", RowsOf(t1, [now.Name], $"FROM {_d.QuoteName(t1.Name)}\nWHERE {c} IS NOT NULL AND ({fails})"),
                $"Rows of {t1.Name} whose {now.Name} is not a valid {old.DataType}.",
                $"The rollback converts {now.Name} back to {old.DataType}; the cast fails on these values.",
                $"Repair or move these values deliberately in the rollback (a USING expression that maps them), keep the text column, or do not roll back.",
                CheckEffect.Fails, "rows", ["conversion"]);
        }

        private void AddLabels(Relaxation r)
        {
            var (t1, old, now) = (r.After, r.Old!, r.New!);
            var c = Col(now);
            var condition = _d.OutsideLabels(old, c);
            if (condition is null)
            {
                Notes.Add(new ChecklistNote($"{t1.Name}.{now.Name}", $"The rollback restores {old.DataType} on {now.Name}; values outside its labels cannot be counted by a query on {_engine.ToName()}. Check them by hand."));
                return;
            }

            Add(CheckKind.EnumLabel, t1, $"{t1.Name}.{now.Name}", "enum", RowsOf(t1, [now.Name], $"FROM {_d.QuoteName(t1.Name)}\nWHERE {c} IS NOT NULL AND {condition}"),
                $"Rows of {t1.Name} whose {now.Name} is not one of the old labels ({string.Join(", ", old.EnumValues)}).",
                $"The rollback restores {old.DataType} on {now.Name}; converting these values fails.",
                "Map these values to old labels deliberately in the rollback, keep the new labels, or do not roll back.",
                CheckEffect.Fails, "rows", ["enum-label"]);
        }

        private void AddDuplicates(Relaxation r)
        {
            var (t0, t1, key) = (r.Before, r.After, r.Key!);
            var keys = new List<(string Expression, string Name)>();
            string? predicate = null;
            if (key.Index is { } index)
            {
                for (var i = 0; i < index.Keys.Count; i++)
                {
                    var part = index.Keys[i];
                    var successor = part.IsExpression ? null : Relaxations.Successor(t0, t1, part.Expression);
                    var expression = successor is not null ? Col(successor) : ExpressionMapper.Rewrite(part.Expression, t0, t1, _d);
                    if (expression is null)
                    {
                        Notes.Add(new ChecklistNote(t1.Name.ToString(), $"The rollback restores unique index {index.Name} ({index.Shape}); its key cannot be evaluated on the migrated table. Look for duplicates by hand."));
                        return;
                    }

                    keys.Add((expression, successor?.Name ?? $"key{(i + 1).ToString(CultureInfo.InvariantCulture)}"));
                }

                if (index.Predicate is { } where && (predicate = ExpressionMapper.Rewrite(where, t0, t1, _d)) is null)
                {
                    Notes.Add(new ChecklistNote(t1.Name.ToString(), $"The rollback restores partial unique index {index.Name} (WHERE {where}); its predicate cannot be evaluated on the migrated table. Look for duplicates by hand."));
                    return;
                }
            }
            else
            {
                keys.AddRange(r.Columns.Select(c => (Col(t1.FindColumn(c)!), c)));
            }

            var keyList = string.Join(", ", keys.Select(k => k.Expression));
            var conditions = new List<string>();
            if (key.Unique?.NullsNotDistinct != true)
            {
                conditions.AddRange(keys.Select(k => $"{k.Expression} IS NOT NULL"));
            }

            if (predicate is not null)
            {
                conditions.Add($"({predicate})");
            }

            var where2 = conditions.Count == 0 ? string.Empty : "\nWHERE " + string.Join(" AND ", conditions);
            var sample = keys.Append(("count(*)", "copies")).ToList();
            var what = key.PrimaryKey is not null ? "primary key" : key.Unique is { } u ? $"unique constraint {u.Name}" : $"unique index {key.Index!.Name}";
            Add(CheckKind.Unique, t1, $"{t1.Name}({string.Join(", ", r.Columns)})", "unique",
                ChecklistSql.Query(_d, sample, $"FROM {_d.QuoteName(t1.Name)}{where2}\nGROUP BY {keyList}\nHAVING count(*) > 1"),
                $"Groups of rows of {t1.Name} sharing the same ({string.Join(", ", r.Columns)}).",
                $"The rollback restores the {what} on ({string.Join(", ", key.Columns)}); creating it fails on these duplicates.",
                "Resolve the duplicates deliberately before rolling back (merge or re-key the rows, and record it), keep the key dropped, or do not roll back.",
                CheckEffect.Fails, "duplicate groups", ["duplicate"]);
        }

        private void AddCheck(Relaxation r)
        {
            var (t0, t1, check) = (r.Before, r.After, r.Check!);
            var label = check.Name is { Length: > 0 } ? $"check {check.Name}" : $"check ({check.Expression})";
            if (ExpressionMapper.Rewrite(check.Expression, t0, t1, _d) is not { } expression || !IsReadable($"SELECT 1 WHERE {expression}"))
            {
                Notes.Add(new ChecklistNote(t1.Name.ToString(), $"The rollback restores {label}; its expression cannot be evaluated on the migrated table (a column it uses is gone, or it calls something a read-only check may not). Look for violating rows by hand."));
                return;
            }

            Add(CheckKind.Check, t1, $"{t1.Name}.{check.Name ?? string.Join(",", r.Columns)}", "check", RowsOf(t1, r.Columns, $"FROM {_d.QuoteName(t1.Name)}\nWHERE NOT ({expression})"),
                $"Rows of {t1.Name} that violate {label}.",
                $"The rollback restores {label}; adding it fails on these rows (a NULL result passes, as in the constraint).",
                "Repair these rows deliberately in the rollback (and accept the change), keep the check dropped, or do not roll back.",
                CheckEffect.Fails, "rows", ["check"]);
        }

        private void AddOrphans(Relaxation r)
        {
            var (t0, t1, fk) = (r.Before, r.After, r.ForeignKey!);
            var parentBefore = input.Before.FindTable(fk.ReferencedTable);
            var parent = parentBefore is null ? null : fk.ReferencedTable == t0.Name ? t1 : Relaxations.Successor(parentBefore, input.After);
            var referenced = parent is null ? [] : fk.ReferencedColumns.Select(c => Relaxations.Successor(parentBefore!, parent, c)).ToList();
            if (parent is null || referenced.Any(c => c is null))
            {
                Notes.Add(new ChecklistNote(t1.Name.ToString(), $"The rollback restores foreign key {fk.Name ?? fk.Shape}, but the forward migration dropped or changed its parent {fk.ReferencedTable}; the rollback must restore the parent first. Count the orphans by hand once it is back."));
                return;
            }

            var child = r.Columns.Select(c => "c." + _d.QuoteIdentifier(c)).ToList();
            var join = string.Join(" AND ", referenced.Select((p, i) => $"p.{_d.QuoteIdentifier(p!.Name)} = {child[i]}"));
            var keys = ChecklistSql.KeyColumns(t1, r.Columns).Concat(r.Columns).Distinct(StringComparer.Ordinal).ToList();
            var sample = keys.Select(k => ("c." + _d.QuoteIdentifier(k), k)).ToList();
            Add(CheckKind.ForeignKey, t1, $"{t1.Name}({string.Join(", ", r.Columns)})", "fk",
                ChecklistSql.Query(_d, sample, $"FROM {_d.QuoteName(t1.Name)} AS c\nWHERE {string.Join(" AND ", child.Select(c => c + " IS NOT NULL"))}\n  AND NOT EXISTS (SELECT 1 FROM {_d.QuoteName(parent.Name)} AS p WHERE {join})"),
                $"Rows of {t1.Name} whose ({string.Join(", ", r.Columns)}) references no row of {parent.Name}.",
                $"The rollback restores foreign key {fk.Name ?? fk.Shape}; adding it fails on these orphans.",
                "Decide what happens to the orphans before rolling back (delete or re-parent them deliberately, and record it), keep the key dropped, or do not roll back.",
                CheckEffect.Fails, "rows", ["orphan"]);
        }

        // ------------------------------------------------------------------ data the rollback discards

        private void AddNewTable(Table t1)
        {
            if (!DropsTable(t1))
            {
                return; // a rollback that keeps the table discards nothing (the verification reports it as left behind)
            }

            Add(CheckKind.NewTableRows, t1, t1.Name.ToString(), "new-table", RowsOf(t1, t1.Columns.Select(c => c.Name).Take(2), $"FROM {_d.QuoteName(t1.Name)}"),
                $"Rows in {t1.Name}, a table the forward migration created.",
                $"The rollback drops {t1.Name}: every row written into it since the migration is discarded.",
                $"Archive the rows before rolling back (for example CREATE TABLE {t1.Name.Name}_archive AS SELECT * FROM {t1.Name.Name}, or a dump of the table), or move them into the old tables in the rollback.",
                CheckEffect.Discards, "rows", []);
        }

        private void AddNewColumn(Table t1, Column c1)
        {
            var c = Col(c1);
            var condition = $"{c} IS NOT NULL";
            if (c1.Default is { } d && ExpressionMapper.IsConstant(d, _d))
            {
                condition += $" AND NOT ({_d.NotDistinct(c, d)})";
            }

            Add(CheckKind.NewColumnValues, t1, $"{t1.Name}.{c1.Name}", "new-column", RowsOf(t1, [c1.Name], $"FROM {_d.QuoteName(t1.Name)}\nWHERE {condition}"),
                $"Rows of {t1.Name} with a value in {c1.Name}, a column the forward migration added{(c1.Default is null ? "" : $" (values equal to its default {c1.Default} are not counted)")}.",
                $"The rollback drops {c1.Name}: the values written into it since the migration are discarded.",
                $"Archive the values before rolling back (CREATE TABLE ... AS SELECT key, {c1.Name} FROM {t1.Name.Name}), or move them into the old shape in the rollback.",
                CheckEffect.Discards, "rows", []);
        }

        private void AddAction(RollbackAction action)
        {
            var where = $"(rollback statement {action.Statement.Number}, line {action.Statement.Line})";
            switch (action)
            {
                case DeleteAction delete when FindTable(delete.Table) is { } t1:
                {
                    var alias = delete.Alias is null ? string.Empty : " AS " + _d.QuoteIdentifier(delete.Alias);
                    var from = $"FROM {_d.QuoteName(t1.Name)}{alias}" + (delete.Where is null ? string.Empty : $"\nWHERE {delete.Where}");
                    var sql = RowsOf(t1, t1.Columns.Select(c => c.Name).Take(2), from);
                    if (!IsReadable(sql))
                    {
                        Notes.Add(new ChecklistNote(t1.Name.ToString(), $"The rollback deletes rows of {t1.Name} {where}; its condition cannot run as a read-only check. Count them by hand."));
                        return;
                    }

                    Add(CheckKind.DeletedRows, t1, t1.Name.ToString(), "deleted", sql,
                        $"Rows of {t1.Name} the rollback deletes: {Summary(action.Statement.Text)}.",
                        $"The rollback deletes these rows {where}; they are gone afterwards.",
                        $"Archive these rows before rolling back (CREATE TABLE ... AS SELECT * FROM {t1.Name.Name} WHERE ...), or make the rollback keep them.",
                        CheckEffect.Discards, "rows", []);
                    break;
                }

                case RemoveAllAction remove when FindTable(remove.Table) is { } t1 && !remove.CopiedFirst && IsPreExisting(t1):
                    Add(CheckKind.DeletedRows, t1, t1.Name.ToString(), "deleted", RowsOf(t1, t1.Columns.Select(c => c.Name).Take(2), $"FROM {_d.QuoteName(t1.Name)}"),
                        $"Rows of {t1.Name}, which the rollback {(remove.Drops ? "drops" : "truncates")}.",
                        $"The rollback {(remove.Drops ? "drops" : "truncates")} {t1.Name}, a table that existed before the migration {where}; unless it restores the rows from somewhere, they are gone afterwards.",
                        $"Make sure the rollback restores these rows (alter the table in place instead of dropping it), or archive them before rolling back.",
                        CheckEffect.Discards, "rows", []);
                    break;
                case RemoveAllAction { Drops: true, CopiedFirst: true } rebuild when _d.SequencesCanCollide && FindTable(rebuild.Table) is { } t1:
                    foreach (var sequence in input.After.Sequences.Where(s => DataOracle.FindOwner(input.After, s) is var (owner, _) && owner == t1))
                    {
                        AddSequence(sequence, sequence.Start ?? 1, $"The rollback rebuilds {t1.Name} {where}; a sequence or identity re-created with it starts again at {sequence.Start ?? 1}.");
                    }

                    break;
                case SequenceResetAction reset:
                    AddReset(reset, where);
                    break;
            }
        }

        private void AddReset(SequenceResetAction reset, string where)
        {
            Sequence? sequence = null;
            if (reset.Sequence is { } name)
            {
                sequence = input.After.Sequences.FirstOrDefault(s => name.Matches(s.Name, _engine));
            }
            else if (reset.Table is { } tableName && FindTable(tableName) is { } t1 && reset.Column is { } column)
            {
                sequence = input.After.Sequences.FirstOrDefault(s => DataOracle.FindOwner(input.After, s) is var (owner, ownerColumn) && owner == t1
                    && WrittenName.PartMatches(column, false, ownerColumn.Name, _engine));
            }

            var label = reset.Sequence?.ToString() ?? $"{reset.Table}.{reset.Column}";
            if (sequence is null || DataOracle.FindOwner(input.After, sequence) is null)
            {
                Notes.Add(new ChecklistNote(label, $"The rollback resets sequence {label} {where}; no column owns it, so the checklist cannot tell which keys it would hand out again. Check the columns that draw from it by hand."));
                return;
            }

            var next = reset.Next ?? sequence.Start ?? 1;
            AddSequence(sequence, next, $"The rollback resets {SchemaDiffer.SequenceSubject(sequence)} {where} so that it hands out {next.ToString(CultureInfo.InvariantCulture)} next.");
        }

        private void AddSequence(Sequence sequence, long next, string why)
        {
            var (table, column) = DataOracle.FindOwner(input.After, sequence)!.Value;
            var c = Col(column);
            var descending = sequence.Increment is < 0;
            Add(CheckKind.Sequence, table, sequence.Name.ToString(), "sequence",
                RowsOf(table, [column.Name], $"FROM {_d.QuoteName(table.Name)}\nWHERE {c} {(descending ? "<=" : ">=")} {next.ToString(CultureInfo.InvariantCulture)}"),
                $"Rows of {table.Name} whose {column.Name} is at or beyond {next.ToString(CultureInfo.InvariantCulture)}, where the sequence will start again.",
                why + " Each of these keys will be handed out again: the inserts collide (or, without a unique key, duplicate it).",
                $"Move the sequence past the highest key instead (for example SELECT setval('{sequence.Name}', (SELECT max({column.Name}) FROM {table.Name}))), or leave its position alone.",
                CheckEffect.Collides, "rows", []);
        }

        // ------------------------------------------------------------------ helpers

        private string Col(Column column) => _d.QuoteIdentifier(column.Name);

        private string RowsOf(Table table, IEnumerable<string> fallback, string from) =>
            ChecklistSql.Query(_d, ChecklistSql.KeyColumns(table, fallback).Select(k => (_d.QuoteIdentifier(k), k)).ToList(), from);

        private string OutOfRange(Column old, Column now)
        {
            var c = Col(now);
            if (old.Family == TypeFamily.Integer)
            {
                var (lo, hi) = ValueGenerator.IntegerTypeRange(old);
                var value = now.Family == TypeFamily.Integer ? c : _d.Round(c, 0);
                return $"{value} < {lo.ToString(CultureInfo.InvariantCulture)} OR {value} > {hi.ToString(CultureInfo.InvariantCulture)}";
            }

            var limit = Relaxations.Pow10(old.Precision!.Value - (old.Scale ?? 0));
            return $"abs({_d.Round(c, old.Scale ?? 0)}) >= {limit.ToString(CultureInfo.InvariantCulture)}";
        }

        private bool IsReadable(string sql) => ReadOnlyGuard.Check(sql, _d).Allowed;

        private void Add(CheckKind kind, Table table, string @object, string idKind, string sql, string what, string why, string ifNotZero, CheckEffect effect, string counts, IReadOnlyList<string> attacks)
        {
            var id = $"PF-{idKind}-{@object}";
            for (var n = 2; !_ids.Add(id); n++)
            {
                id = $"PF-{idKind}-{@object}-{n.ToString(CultureInfo.InvariantCulture)}";
            }

            if (!IsReadable(sql))
            {
                Notes.Add(new ChecklistNote(@object, $"{what} The query for it would not be a plain read, so it is left out; count by hand."));
                return;
            }

            Checks.Add(new PreflightCheck(id, kind, @object, what, why, sql, ifNotZero, effect, counts) { Table = table.Name.ToString(), Attacks = attacks });
        }

        private Table? FindTable(WrittenName name) =>
            input.After.Tables.FirstOrDefault(t => name.Matches(t.Name, _engine));

        /// <summary>The table existed before the migration (a rollback that removes its rows removes data it should keep).</summary>
        private bool IsPreExisting(Table t1) => input.Before.Tables.Any(t0 => Relaxations.Successor(t0, input.After) == t1);

        private bool DropsTable(Table t1) => _actions.OfType<RemoveAllAction>().Any(a => a.Drops && a.Table.Matches(t1.Name, _engine));

        /// <summary>The rollback renames a table (or a column of <paramref name="table"/>) back to <paramref name="name"/>.</summary>
        private bool RenamedBackTo(string name, Table? table = null) =>
            _actions.OfType<RenameAction>().Any(a => (table is null ? a.OldColumn is null : a.OldColumn is not null && a.Table.Matches(table.Name, _engine))
                && string.Equals(a.NewName, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The rollback renames this table (or its column <paramref name="column"/>) to something else, so the object is kept, not discarded.</summary>
        private bool RenamedAway(Table table, string? column) =>
            _actions.OfType<RenameAction>().Any(a => a.Table.Matches(table.Name, _engine)
                && (column is null ? a.OldColumn is null : a.OldColumn is not null && WrittenName.PartMatches(a.OldColumn, false, column, _engine)));

        private static string Summary(string statement)
        {
            var line = string.Join(" ", statement.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
            return line.Length <= 100 ? line : line[..97] + "...";
        }
    }
}
