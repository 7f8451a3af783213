using System.Globalization;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;

namespace MarketMakers.Core.Orders;

/// <summary>
/// Every table the order batch reads or writes without EF, described once (ADR 0009): <see cref="OrderBatchReader"/>
/// takes its SELECT lists and ordinals from here, <see cref="OrderBatchWriter"/> its INSERT and UPDATE statements and
/// their arrays. EF's configuration stays the schema; OrderColumnTests holds each table here equal to it. Codes
/// travel as their text, as EF's converter stores them. The column order is the statements' parameter order, which
/// the bench's baseline (bench/MarketMakers.Bench/RawSql*.cs) follows.
/// </summary>
internal static class BatchTables
{
    /// <summary>orders: new orders are inserted whole, with the sequence the batch reserved (time priority).</summary>
    public static readonly StoredBatchTable<Order, OrderRow> Orders = new StoredBatchTable<Order, OrderRow>("orders", overridingIdentity: true, r => r.Load())
        .Column("id", "uuid", o => o.Id, (d, i, r) => r.Id = d.GetGuid(i))
        .Column("holder_id", "uuid", o => o.HolderId, (d, i, r) => r.HolderId = d.GetGuid(i))
        .Column("market_maker_id", "uuid", o => o.MarketMakerId, (d, i, r) => r.MarketMakerId = d.IsDBNull(i) ? null : d.GetGuid(i))
        .Column("certificate_type", "text", o => o.CertificateType.Value, (d, i, r) => r.CertificateType = CertificateType.Parse(d.GetString(i)))
        .Column("side", "text", o => o.Side.Value, (d, i, r) => r.Side = OrderSide.Parse(d.GetString(i)))
        .Column("order_type", "text", o => o.OrderType, (d, i, r) => r.OrderType = d.GetString(i))
        .Column("price", "numeric", o => o.Price, (d, i, r) => r.Price = d.GetDecimal(i))
        .Column("quantity", "bigint", o => o.Quantity, (d, i, r) => r.Quantity = d.GetInt64(i))
        .Column("filled_quantity", "bigint", o => o.FilledQuantity, (d, i, r) => r.FilledQuantity = d.GetInt64(i))
        .Column("status", "text", o => o.Status.Value, (d, i, r) => r.Status = OrderStatus.Parse(d.GetString(i)))
        .Column("ticket_id", "text", o => o.TicketId, (d, i, r) => r.TicketId = d.GetString(i))
        .Column("cancel_reason", "text", o => o.CancelReason, (d, i, r) => r.CancelReason = d.IsDBNull(i) ? null : d.GetString(i))
        .Column("created_at", "timestamptz", o => o.CreatedAt, (d, i, r) => r.CreatedAt = d.GetFieldValue<DateTimeOffset>(i))
        .Column("updated_at", "timestamptz", o => o.UpdatedAt, (d, i, r) => r.UpdatedAt = d.GetFieldValue<DateTimeOffset>(i))
        .Column("sequence", "bigint", o => o.Sequence, (d, i, r) => r.Sequence = d.GetInt64(i));

    /// <summary>A resting order a batch filled: only what a fill (or a self-trade cancel) changes.</summary>
    public static readonly BatchUpdate<Order> RestingOrders =
        Orders.Update("o", keys: ["id"], set: ["filled_quantity", "status", "cancel_reason", "updated_at"]);

    /// <summary>balances: read locked under the instrument lock, written back as one UPDATE (the batch never inserts one).</summary>
    public static readonly StoredBatchTable<Balance, BalanceRow> Balances = new StoredBatchTable<Balance, BalanceRow>("balances", overridingIdentity: false, r => r.Load())
        .Column("holder_id", "uuid", b => b.HolderId, (d, i, r) => r.HolderId = d.GetGuid(i))
        .Column("asset", "text", b => b.Asset.Value, (d, i, r) => r.Asset = Asset.FromStored(d.GetString(i)))
        .Column("available", "numeric", b => b.Available, (d, i, r) => r.Available = d.GetDecimal(i))
        .Column("locked", "numeric", b => b.Locked, (d, i, r) => r.Locked = d.GetDecimal(i))
        .Column("updated_at", "timestamptz", b => b.UpdatedAt, (d, i, r) => r.UpdatedAt = d.GetFieldValue<DateTimeOffset>(i));

    public static readonly BatchUpdate<Balance> BalanceUpdates = Balances.Update("b", keys: ["holder_id", "asset"], set: ["available", "locked", "updated_at"]);

    /// <summary>cash_market_trades, with the sequence the batch reserved (the tape's order).</summary>
    public static readonly BatchTable<CashMarketTrade> Trades = new BatchTable<CashMarketTrade>("cash_market_trades", overridingIdentity: true)
        .Column("id", "uuid", t => t.Id)
        .Column("buy_order_id", "uuid", t => t.BuyOrderId)
        .Column("sell_order_id", "uuid", t => t.SellOrderId)
        .Column("buyer_holder_id", "uuid", t => t.BuyerHolderId)
        .Column("seller_holder_id", "uuid", t => t.SellerHolderId)
        .Column("market_maker_id", "uuid", t => t.MarketMakerId)
        .Column("ticket_id", "text", t => t.TicketId)
        .Column("certificate_type", "text", t => t.CertificateType.Value)
        .Column("price", "numeric", t => t.Price)
        .Column("quantity", "bigint", t => t.Quantity)
        .Column("executed_at", "timestamptz", t => t.ExecutedAt)
        .Column("sequence", "bigint", t => t.Sequence);

    /// <summary>asset_transactions, with the ids the batch reserved (a holder's newest row carries its balance).</summary>
    public static readonly BatchTable<AssetTransaction> Ledger = new BatchTable<AssetTransaction>("asset_transactions", overridingIdentity: true)
        .Column("ticket_id", "text", r => r.TicketId)
        .Column("holder_id", "uuid", r => r.HolderId)
        .Column("asset", "text", r => r.Asset.Value)
        .Column("transaction_type", "text", r => r.TransactionType)
        .Column("amount", "numeric", r => r.Amount)
        .Column("balance_after", "numeric", r => r.BalanceAfter)
        .Column("notes", "text", r => r.Notes)
        .Column("created_by", "uuid", r => r.CreatedBy)
        .Column("created_at", "timestamptz", r => r.CreatedAt)
        .Column("id", "bigint", r => r.Id);

    /// <summary>ticket_logs. The two text[] columns travel as delimited text (see <see cref="OrderBatchWriter.JoinList"/>).</summary>
    public static readonly BatchTable<Ticket> Tickets = new BatchTable<Ticket>("ticket_logs", overridingIdentity: false)
        .Column("ticket_id", "text", t => t.TicketId)
        .Column("year", "int", t => t.Year)
        .Column("number", "bigint", t => t.Number)
        .Column("timestamp", "timestamptz", t => t.Timestamp)
        .Column("user_id", "uuid", t => t.UserId)
        .Column("market_maker_id", "uuid", t => t.MarketMakerId)
        .Column("action_type", "text", t => t.ActionType)
        .Column("entity_type", "text", t => t.EntityType)
        .Column("entity_id", "text", t => t.EntityId)
        .Column("status", "text", t => t.Status)
        .Column("request_payload", "jsonb", t => t.RequestPayload)
        .Column("response_data", "jsonb", t => t.ResponseData)
        .Column("ip_address", "text", t => t.IpAddress)
        .Column("user_agent", "text", t => t.UserAgent)
        .Column("session_id", "text", t => t.SessionId)
        .Column("before_state", "jsonb", t => t.BeforeState)
        .Column("after_state", "jsonb", t => t.AfterState)
        .Column("related_ticket_ids", "text", t => OrderBatchWriter.JoinList(t.RelatedTicketIds), SplitList("related_ticket_ids"))
        .Column("tags", "text", t => OrderBatchWriter.JoinList(t.Tags), SplitList("tags"));

    /// <summary>Turns a column joined by <see cref="OrderBatchWriter.JoinList"/> back into text[] on the server.</summary>
    private static string SplitList(string column) =>
        string.Create(CultureInfo.InvariantCulture, $"string_to_array(u.{column}, E'\\x{(int)OrderBatchWriter.ListSeparator:x2}')");
}

/// <summary>The arguments of <see cref="Order.Load"/>, filled column by column from <see cref="BatchTables.Orders"/>.</summary>
internal sealed class OrderRow
{
    public Guid Id { get; set; }
    public Guid HolderId { get; set; }
    public Guid? MarketMakerId { get; set; }
    public CertificateType CertificateType { get; set; } = null!;
    public OrderSide Side { get; set; } = null!;
    public string OrderType { get; set; } = "";
    public decimal Price { get; set; }
    public long Quantity { get; set; }
    public long FilledQuantity { get; set; }
    public OrderStatus Status { get; set; } = null!;
    public string TicketId { get; set; } = "";
    public long Sequence { get; set; }
    public string? CancelReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public Order Load() => Order.Load(
        Id, HolderId, MarketMakerId, CertificateType, Side, OrderType, Price, Quantity, FilledQuantity, Status, TicketId, Sequence, CancelReason, CreatedAt, UpdatedAt);
}

/// <summary>The arguments of <see cref="Balance.Load"/>, filled column by column from <see cref="BatchTables.Balances"/>.</summary>
internal sealed class BalanceRow
{
    public Guid HolderId { get; set; }
    public Asset Asset { get; set; } = null!;
    public decimal Available { get; set; }
    public decimal Locked { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public Balance Load() => Balance.Load(HolderId, Asset, Available, Locked, UpdatedAt);
}
