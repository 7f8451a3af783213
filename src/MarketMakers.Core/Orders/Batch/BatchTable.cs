using System.Data.Common;
using System.Globalization;

namespace MarketMakers.Core.Orders;

/// <summary>
/// One column the order batch writes outside EF: its name, the PostgreSQL type its values travel as (one array per
/// column for <c>unnest</c>), how the whole column is taken from the rows, and the expression that turns the unnested
/// value into the stored one (<c>u.name</c> unless the column needs a conversion).
/// </summary>
internal sealed record BatchColumn<T>(string Name, string SqlType, Func<IReadOnlyList<T>, object> Values, string Select);

/// <summary>
/// The single description of a table's columns for the batch's hand-written SQL (ADR 0009): the INSERT and UPDATE
/// statements and their parameter arrays are derived from it, so a column cannot be forgotten in one of them, and
/// OrderColumnTests holds it equal to the EF model. Statements are built once; the columns keep the order given.
/// </summary>
internal class BatchTable<T>(string table, bool overridingIdentity)
{
    private readonly List<BatchColumn<T>> _columns = [];

    public string Table { get; } = table;

    public IReadOnlyList<BatchColumn<T>> Columns => _columns;

    public IEnumerable<string> Names => _columns.Select(c => c.Name);

    /// <summary>Adds a column whose values are <paramref name="get"/> of each row, as one typed array (Npgsql infers the array's type from it).</summary>
    public BatchTable<T> Column<TValue>(string name, string sqlType, Func<T, TValue> get, string? select = null)
    {
        _columns.Add(new BatchColumn<T>(name, sqlType, rows => ValuesOf(rows, get), select ?? $"u.{name}"));
        return this;
    }

    /// <summary>
    /// <c>INSERT … SELECT FROM unnest(…)</c> of every column, one array parameter each ($1, $2, … in column order).
    /// Identity columns (sequences, ledger ids) are written with the values the batch reserved, hence OVERRIDING.
    /// </summary>
    public string InsertSql()
    {
        var overriding = overridingIdentity ? "\nOVERRIDING SYSTEM VALUE" : "";
        var converted = _columns.Any(c => c.Select != $"u.{c.Name}");
        var select = converted ? string.Join(", ", _columns.Select(c => c.Select)) : "*";
        var alias = converted ? $" AS u({string.Join(", ", Names)})" : "";
        return $"INSERT INTO {Table} ({string.Join(", ", Names)}){overriding}\nSELECT {select}\nFROM unnest({Parameters(_columns)}){alias}";
    }

    /// <summary>The insert's parameter values for <paramref name="rows"/>, in <see cref="InsertSql"/>'s order.</summary>
    public object[] InsertValues(IReadOnlyList<T> rows) => [.. _columns.Select(c => c.Values(rows))];

    /// <summary>An UPDATE of some columns of this table, matched on its key columns; see <see cref="BatchUpdate{T}"/>.</summary>
    public BatchUpdate<T> Update(string alias, string[] keys, string[] set) => new(this, alias, keys, set);

    /// <summary>The column called <paramref name="name"/>; a misspelt name fails when the statements are built, at startup.</summary>
    public BatchColumn<T> this[string name] =>
        _columns.SingleOrDefault(c => c.Name == name) ?? throw new InvalidOperationException($"{Table} has no batch column {name}.");

    internal static string Parameters(IEnumerable<BatchColumn<T>> columns) =>
        string.Join(", ", columns.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"${i + 1}::{c.SqlType}[]")));

    private static TValue[] ValuesOf<TValue>(IReadOnlyList<T> rows, Func<T, TValue> get)
    {
        var values = new TValue[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = get(rows[i]);
        }

        return values;
    }
}

/// <summary>
/// <c>UPDATE table alias SET col = u.col, … FROM unnest(…) AS u(…) WHERE alias.key = u.key</c>: the keys' arrays
/// first, then the set columns', all taken from the table's own columns.
/// </summary>
internal sealed class BatchUpdate<T>
{
    private readonly BatchColumn<T>[] _columns;

    public BatchUpdate(BatchTable<T> table, string alias, string[] keys, string[] set)
    {
        _columns = [.. keys.Concat(set).Select(n => table[n])];
        var names = string.Join(", ", _columns.Select(c => c.Name));
        Sql = $"UPDATE {table.Table} {alias} SET {string.Join(", ", set.Select(n => $"{n} = u.{n}"))}\n"
            + $"FROM unnest({BatchTable<T>.Parameters(_columns)}) AS u({names})\n"
            + $"WHERE {string.Join(" AND ", keys.Select(k => $"{alias}.{k} = u.{k}"))}";
    }

    public string Sql { get; }

    public object[] Values(IReadOnlyList<T> rows) => [.. _columns.Select(c => c.Values(rows))];
}

/// <summary>
/// A table the batch also reads back (orders, balances): each column also says how it is read into
/// <typeparamref name="TRow"/>, the arguments of the entity's <c>Load</c>, so the SELECT list and the ordinals come
/// from the same list as the writes.
/// </summary>
internal sealed class StoredBatchTable<T, TRow>(string table, bool overridingIdentity, Func<TRow, T> load) : BatchTable<T>(table, overridingIdentity)
    where TRow : new()
{
    private readonly List<Action<DbDataReader, int, TRow>> _reads = [];

    public StoredBatchTable<T, TRow> Column<TValue>(string name, string sqlType, Func<T, TValue> get, Action<DbDataReader, int, TRow> read)
    {
        Column(name, sqlType, get);
        _reads.Add(read);
        return this;
    }

    /// <summary>The columns for a SELECT, in the order <see cref="Read"/> expects them, optionally qualified.</summary>
    public string SelectList(string? alias = null) =>
        _reads.Count == Columns.Count
            ? string.Join(", ", Names.Select(n => alias is null ? n : $"{alias}.{n}"))
            : throw new InvalidOperationException($"Every column of {Table} that the batch reads back needs its read.");

    /// <summary>The entity in the reader's current row, which holds <see cref="SelectList"/> from ordinal <paramref name="first"/> on.</summary>
    public T Read(DbDataReader reader, int first = 0)
    {
        var row = new TRow();
        for (var i = 0; i < _reads.Count; i++)
        {
            _reads[i](reader, first + i, row);
        }

        return load(row);
    }
}
