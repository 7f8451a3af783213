using System.Text.RegularExpressions;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MarketMakers.Tests.Orders;

/// <summary>
/// The order batch reads and writes its tables with hand-written SQL (ADR 0009), from the one description in
/// <see cref="BatchTables"/>. These hold each description equal to the EF model, the schema's source, so that a
/// column added to an entity cannot be forgotten by the batch: the insert would leave it at its default, the read
/// would load the order without it. No database is needed: the model is built as the app builds it.
/// Every column of these tables is written by the batch, none is left out: the identities (orders.sequence,
/// cash_market_trades.sequence, asset_transactions.id) are written with the values the batch reserved.
/// </summary>
public sealed partial class BatchColumnTests
{
    public static TheoryData<string> Tables => ["orders", "balances", "cash_market_trades", "asset_transactions", "ticket_logs"];

    [Theory]
    [MemberData(nameof(Tables))]
    public void The_batch_describes_every_column_of_the_table_as_the_model_maps_it(string table)
    {
        var (entity, columns) = Described(table);
        using var db = Model();
        var model = db.Model.FindEntityType(entity)!;
        Assert.Equal(table, model.GetTableName());
        var store = StoreObjectIdentifier.Table(table, model.GetSchema());
        var mapped = model.GetProperties().ToDictionary(p => p.GetColumnName(store)!, p => p.GetColumnType(store));

        Assert.Equal(columns.Select(c => c.Name).Distinct().Count(), columns.Count);
        Assert.Equal(mapped.Keys.Order(), columns.Select(c => c.Name).Order());
        foreach (var (name, sqlType) in columns)
        {
            Assert.True(SameFamily(sqlType, mapped[name]), $"{table}.{name}: the batch sends {sqlType}, the model stores {mapped[name]}");
        }
    }

    [Fact]
    public void Reads_and_writes_of_orders_share_one_column_order()
    {
        var names = string.Join(", ", BatchTables.Orders.Names);
        Assert.Equal(names, BatchTables.Orders.SelectList());
        Assert.Contains($"INSERT INTO orders ({names})", OrderBatchWriter.OrdersSql);
        Assert.Contains($"SELECT {names}, mm_name, mm_owner_group FROM", OrderBatchReader.CandidatesSql);
        Assert.Contains($"SELECT {BatchTables.Balances.SelectList("b")}", OrderBatchReader.BalancesSql);
    }

    [Fact]
    public void List_columns_travel_as_delimited_text_and_are_split_on_the_server()
    {
        Assert.Contains(@"string_to_array(u.related_ticket_ids, E'\x1f')", OrderBatchWriter.TicketsSql);
        Assert.Contains(@"string_to_array(u.tags, E'\x1f')", OrderBatchWriter.TicketsSql);
        Assert.Equal('\u001f', OrderBatchWriter.ListSeparator);
    }

    private static (Type Entity, List<(string Name, string SqlType)> Columns) Described(string table) => table switch
    {
        "orders" => (typeof(Order), Of(BatchTables.Orders)),
        "balances" => (typeof(Balance), Of(BatchTables.Balances)),
        "cash_market_trades" => (typeof(CashMarketTrade), Of(BatchTables.Trades)),
        "asset_transactions" => (typeof(AssetTransaction), Of(BatchTables.Ledger)),
        "ticket_logs" => (typeof(Ticket), Of(BatchTables.Tickets)),
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };

    private static List<(string Name, string SqlType)> Of<T>(BatchTable<T> table) => [.. table.Columns.Select(c => (c.Name, c.SqlType))];

    /// <summary>As the app registers the context (snake_case names), with a connection string it never opens.</summary>
    private static MarketMakersDbContext Model() =>
        new(new DbContextOptionsBuilder<MarketMakersDbContext>().UseNpgsql("Host=unused").UseSnakeCaseNamingConvention().Options);

    /// <summary>
    /// The array type the batch sends against the column's store type, ignoring length and precision: codes and
    /// varchars travel as text, a text[] column as one delimited text (split by the statement).
    /// </summary>
    private static bool SameFamily(string sent, string stored)
    {
        var family = Modifiers().Replace(stored, "") switch
        {
            "character varying" or "text" or "text[]" => "text",
            "timestamp with time zone" => "timestamptz",
            "integer" => "int",
            var other => other,
        };
        return family == sent;
    }

    [GeneratedRegex(@"\(\d+(,\s*\d+)?\)")]
    private static partial Regex Modifiers();
}
