using RollbackVerifier.Model;

namespace RollbackVerifier.Tests.Diffing;

/// <summary>Builds <see cref="SchemaSnapshot"/>s by hand for differ tests.</summary>
internal sealed class SnapshotBuilder
{
    private readonly List<Table> _tables = [];
    private readonly List<View> _views = [];
    private readonly List<Sequence> _sequences = [];
    private readonly List<EnumType> _enums = [];
    private readonly List<Trigger> _triggers = [];
    private readonly List<Routine> _routines = [];

    /// <summary>"schema.name" or "name" (unqualified, as on MySQL and SQLite).</summary>
    public static ObjectName Name(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? ObjectName.Unqualified(name) : new ObjectName(name[..dot], name[(dot + 1)..]);
    }

    public SnapshotBuilder Table(string name, Action<TableBuilder> build)
    {
        var table = new TableBuilder(Name(name));
        build(table);
        _tables.Add(table.Build());
        return this;
    }

    public SnapshotBuilder View(string name, string definition, bool materialized = false)
    {
        _views.Add(new View(Name(name), definition, materialized));
        return this;
    }

    public SnapshotBuilder Sequence(
        string name,
        SequenceKind kind = SequenceKind.Sequence,
        string? dataType = "bigint",
        long? start = 1,
        long? increment = 1,
        long? min = 1,
        long? max = long.MaxValue,
        bool cycle = false,
        string? ownedBy = null,
        long? nextValue = 1)
    {
        _sequences.Add(new Sequence(Name(name), kind, dataType, start, increment, min, max, cycle, ownedBy, nextValue));
        return this;
    }

    public SnapshotBuilder Enum(string name, params string[] labels)
    {
        _enums.Add(new EnumType(Name(name), labels.ToValueList()));
        return this;
    }

    public SnapshotBuilder Trigger(string table, string name, string timing = "BEFORE", string events = "UPDATE", string definition = "EXECUTE FUNCTION touch()", bool enabled = true)
    {
        _triggers.Add(new Trigger(Name(table), name, timing, events, definition, enabled));
        return this;
    }

    public SnapshotBuilder Routine(string name, string signature, string definition, string kind = "FUNCTION")
    {
        _routines.Add(new Routine(Name(name), kind, signature, definition));
        return this;
    }

    public SchemaSnapshot Build() => SchemaSnapshot.Create(_tables, _views, _sequences, _enums, _triggers, _routines);

    /// <summary>
    /// A small PostgreSQL-like schema with one of everything: customers and orders with keys, constraints and indexes,
    /// an enum type, an owned sequence, a view, a trigger and its function.
    /// </summary>
    public static SchemaSnapshot Baseline() => new SnapshotBuilder()
        .Enum("public.order_status", "new", "paid", "shipped")
        .Table("public.customers", t => t
            .EngineId(16384)
            .Column("id", "bigint", TypeFamily.Integer, nullable: false, identity: IdentityKind.Always, engineId: 1)
            .Column("email", "character varying(255)", TypeFamily.Text, nullable: false, length: 255, engineId: 2)
            .Column("name", "text", TypeFamily.Text, engineId: 3)
            .Column("created_at", "timestamp with time zone", TypeFamily.TimestampTz, nullable: false, @default: "now()", engineId: 4)
            .PrimaryKey("customers_pkey", "id")
            .Unique("customers_email_key", "email")
            .Index("customers_name_idx", ["name"]))
        .Table("public.orders", t => t
            .EngineId(16400)
            .Column("id", "bigint", TypeFamily.Integer, nullable: false, @default: "nextval('orders_id_seq'::regclass)", identity: IdentityKind.AutoIncrement, engineId: 1)
            .Column("customer_id", "bigint", TypeFamily.Integer, nullable: false, engineId: 2)
            .Column("status", "order_status", TypeFamily.Enum, nullable: false, @default: "'new'::order_status", enumValues: ["new", "paid", "shipped"], engineId: 3)
            .Column("total", "numeric(10,2)", TypeFamily.Decimal, nullable: false, @default: "0", precision: 10, scale: 2, engineId: 4)
            .Column("note", "character varying(100)", TypeFamily.Text, length: 100, engineId: 5)
            .PrimaryKey("orders_pkey", "id")
            .ForeignKey("orders_customer_id_fkey", ["customer_id"], "public.customers", ["id"], onDelete: "CASCADE")
            .Check("orders_total_check", "total >= (0)::numeric")
            .Index("orders_customer_idx", ["customer_id"])
            .Index("orders_open_idx", ["status"], predicate: "status <> 'shipped'::order_status"))
        .Sequence("public.orders_id_seq", ownedBy: "public.orders.id", nextValue: 51)
        .View("public.open_orders", "SELECT id, customer_id FROM orders WHERE status <> 'shipped'::order_status;")
        .Trigger("public.orders", "orders_touch")
        .Routine("public.touch", "", "CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")
        .Build();
}

/// <summary>Builds one table; columns get positions in the order they are added.</summary>
internal sealed class TableBuilder(ObjectName name)
{
    private readonly List<Column> _columns = [];
    private readonly List<ForeignKey> _foreignKeys = [];
    private readonly List<UniqueConstraint> _uniques = [];
    private readonly List<CheckConstraint> _checks = [];
    private readonly List<TableIndex> _indexes = [];
    private PrimaryKey? _primaryKey;
    private long? _engineId;

    public TableBuilder Column(
        string name,
        string dataType = "integer",
        TypeFamily family = TypeFamily.Integer,
        bool nullable = true,
        string? @default = null,
        IdentityKind identity = IdentityKind.None,
        string? generated = null,
        string? collation = null,
        int? length = null,
        int? precision = null,
        int? scale = null,
        string[]? enumValues = null,
        long? engineId = null)
    {
        _columns.Add(new Column(
            name,
            _columns.Count + 1,
            dataType,
            family,
            length,
            precision,
            scale,
            nullable,
            @default,
            identity,
            generated,
            collation,
            (enumValues ?? []).ToValueList(),
            engineId));
        return this;
    }

    public TableBuilder PrimaryKey(string? name, params string[] columns)
    {
        _primaryKey = new PrimaryKey(name, columns.ToValueList());
        return this;
    }

    public TableBuilder ForeignKey(
        string? name,
        string[] columns,
        string referencedTable,
        string[] referencedColumns,
        string onDelete = "NO ACTION",
        string onUpdate = "NO ACTION",
        bool deferrable = false,
        bool initiallyDeferred = false,
        bool enforced = true)
    {
        _foreignKeys.Add(new ForeignKey(name, columns.ToValueList(), SnapshotBuilder.Name(referencedTable), referencedColumns.ToValueList(), onDelete, onUpdate, deferrable, initiallyDeferred, enforced));
        return this;
    }

    public TableBuilder Unique(string? name, params string[] columns)
    {
        _uniques.Add(new UniqueConstraint(name, columns.ToValueList(), false));
        return this;
    }

    public TableBuilder Check(string? name, string expression, bool enforced = true)
    {
        _checks.Add(new CheckConstraint(name, expression, enforced));
        return this;
    }

    public TableBuilder Index(
        string name,
        string[] keys,
        bool unique = false,
        string? predicate = null,
        string method = "btree",
        bool valid = true,
        string[]? include = null,
        string? definition = null)
    {
        _indexes.Add(new TableIndex(
            name,
            keys.Select(k => new IndexKey(k, false, false, null, null)).ToValueList(),
            (include ?? []).ToValueList(),
            unique,
            predicate,
            method,
            valid,
            definition ?? $"CREATE {(unique ? "UNIQUE " : "")}INDEX {name} ON {name} USING {method} ({string.Join(", ", keys)})"));
        return this;
    }

    public TableBuilder EngineId(long id)
    {
        _engineId = id;
        return this;
    }

    public Table Build() => Table.Create(name, _columns, _primaryKey, _foreignKeys, _uniques, _checks, _indexes, _engineId);
}

/// <summary>Edits of built snapshots: S2 is usually "the baseline with one thing wrong".</summary>
internal static class SnapshotEdits
{
    public static SchemaSnapshot WithTable(this SchemaSnapshot snapshot, string table, Func<Table, Table> change)
    {
        var name = SnapshotBuilder.Name(table);
        Assert.That(snapshot.FindTable(name), Is.Not.Null, $"no table {table} to change");
        return snapshot with { Tables = snapshot.Tables.Select(t => t.Name == name ? change(t) : t).ToValueList() };
    }

    /// <summary>Drops a table the way DROP TABLE does: with its triggers and the sequences it owns.</summary>
    public static SchemaSnapshot WithoutTable(this SchemaSnapshot snapshot, string table)
    {
        var name = SnapshotBuilder.Name(table);
        return snapshot with
        {
            Tables = snapshot.Tables.Where(t => t.Name != name).ToValueList(),
            Triggers = snapshot.Triggers.Where(t => t.Table != name).ToValueList(),
            Sequences = snapshot.Sequences
                .Where(s => s.Name != name || s.Kind == SequenceKind.Sequence)
                .Where(s => s.OwnedBy is null || !s.OwnedBy.StartsWith(name + ".", StringComparison.Ordinal))
                .ToValueList(),
        };
    }

    public static SchemaSnapshot Plus(this SchemaSnapshot snapshot, Action<SnapshotBuilder> add)
    {
        var builder = new SnapshotBuilder();
        add(builder);
        var extra = builder.Build();
        return SchemaSnapshot.Create(
            snapshot.Tables.Concat(extra.Tables),
            snapshot.Views.Concat(extra.Views),
            snapshot.Sequences.Concat(extra.Sequences),
            snapshot.Enums.Concat(extra.Enums),
            snapshot.Triggers.Concat(extra.Triggers),
            snapshot.Routines.Concat(extra.Routines));
    }

    public static Table WithColumn(this Table table, string column, Func<Column, Column> change)
    {
        Assert.That(table.FindColumn(column), Is.Not.Null, $"no column {column} to change");
        return table with { Columns = table.Columns.Select(c => c.Name == column ? change(c) : c).ToValueList() };
    }

    public static Table WithoutColumn(this Table table, string column) =>
        table with { Columns = table.Columns.Where(c => c.Name != column).Select((c, i) => c with { Position = i + 1 }).ToValueList() };

    public static Table WithExtraColumn(this Table table, string column, string dataType = "integer") =>
        table with
        {
            Columns = table.Columns.Append(new Column(column, table.Columns.Count + 1, dataType, TypeFamily.Integer, null, null, null, true, null, IdentityKind.None, null, null, ValueList<string>.Empty, null)).ToValueList(),
        };

    /// <summary>Re-positions the columns in the given order (names not listed keep their relative order after them).</summary>
    public static Table WithColumnOrder(this Table table, params string[] order)
    {
        var ordered = order.Select(n => table.FindColumn(n)!).Concat(table.Columns.Where(c => !order.Contains(c.Name)));
        return table with { Columns = ordered.Select((c, i) => c with { Position = i + 1 }).ToValueList() };
    }

    public static Table WithForeignKey(this Table table, string? name, Func<ForeignKey, ForeignKey> change) =>
        table with { ForeignKeys = table.ForeignKeys.Select(f => f.Name == name ? change(f) : f).ToValueList() };

    public static Table WithUnique(this Table table, string? name, Func<UniqueConstraint, UniqueConstraint> change) =>
        table with { Uniques = table.Uniques.Select(u => u.Name == name ? change(u) : u).ToValueList() };

    public static Table WithCheck(this Table table, string? name, Func<CheckConstraint, CheckConstraint> change) =>
        table with { Checks = table.Checks.Select(c => c.Name == name ? change(c) : c).ToValueList() };

    public static Table WithIndex(this Table table, string name, Func<TableIndex, TableIndex> change) =>
        table with { Indexes = table.Indexes.Select(i => i.Name == name ? change(i) : i).ToValueList() };

    public static SchemaSnapshot WithSequence(this SchemaSnapshot snapshot, string name, Func<Sequence, Sequence> change)
    {
        var n = SnapshotBuilder.Name(name);
        return snapshot with { Sequences = snapshot.Sequences.Select(s => s.Name == n ? change(s) : s).ToValueList() };
    }

    public static SchemaSnapshot WithView(this SchemaSnapshot snapshot, string name, Func<View, View> change)
    {
        var n = SnapshotBuilder.Name(name);
        return snapshot with { Views = snapshot.Views.Select(v => v.Name == n ? change(v) : v).ToValueList() };
    }

    public static SchemaSnapshot WithTrigger(this SchemaSnapshot snapshot, string name, Func<Trigger, Trigger> change) =>
        snapshot with { Triggers = snapshot.Triggers.Select(t => t.Name == name ? change(t) : t).ToValueList() };

    public static SchemaSnapshot WithEnum(this SchemaSnapshot snapshot, string name, Func<EnumType, EnumType> change)
    {
        var n = SnapshotBuilder.Name(name);
        return snapshot with { Enums = snapshot.Enums.Select(e => e.Name == n ? change(e) : e).ToValueList() };
    }

    public static SchemaSnapshot WithRoutine(this SchemaSnapshot snapshot, string name, Func<Routine, Routine> change)
    {
        var n = SnapshotBuilder.Name(name);
        return snapshot with { Routines = snapshot.Routines.Select(r => r.Name == n ? change(r) : r).ToValueList() };
    }
}
