using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Orders;

namespace MarketMakers.Bench;

/// <summary>
/// The baseline's ticket payloads, written straight with one reused <see cref="Utf8JsonWriter"/>: the same fields
/// (snake_case, decimals as strings, nulls left out) as the app's AuditJson renders from anonymous objects, without
/// the reflection, the JsonNode round trip and the redaction pass. Used only by the single drainer: not thread-safe.
/// </summary>
internal sealed class RawTicketJson
{
    private const string Cert = "EUA";

    private static readonly string BuyRequest = Request("BUY", "100");
    private static readonly string SellRequest = Request("SELL", "200");

    private readonly ArrayBufferWriter<byte> _buffer = new(2048);
    private readonly Utf8JsonWriter _w;

    public RawTicketJson() => _w = new Utf8JsonWriter(_buffer);

    /// <summary>ORDER_PLACED: request, response (the stored order and its trade tickets), balances before, order and effects after.</summary>
    public RawTicketRow OrderTicket(RawPending p)
    {
        var o = p.Order;
        var w = Start();
        w.WritePropertyName("order");
        OrderView(w, o, p.After);
        w.WriteStartArray("trade_ticket_ids");
        p.Trades.ForEach(t => w.WriteStringValue(t.Ticket.Value));
        w.WriteEndArray();
        var response = Done();

        w = Start();
        w.WriteStartObject("balances");
        Balance(w, Cert, p.Before.Cert);
        Balance(w, "EUR", p.Before.Eur);
        w.WriteEndObject();
        var before = Done();

        w = Start();
        Snapshot(w, "order", o, p.After);
        w.WriteStartArray("ledger");
        Effect(w, p.LockEffect);
        w.WriteEndArray();
        w.WriteStartArray("trades");
        foreach (var t in p.Trades)
        {
            w.WriteStartObject();
            w.WriteString("id", t.Id);
            w.WriteString("ticket_id", t.Ticket.Value);
            Dec(w, "price", t.Price);
            w.WriteNumber("quantity", t.Quantity);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        var after = Done();

        var related = OrderBatchWriter.JoinList(p.Trades.Select(t => t.Ticket.Value));
        return new RawTicketRow(p.Ticket, p.UserId, null, ActionTypes.OrderPlaced, EntityTypes.Order, o.Id.ToString(),
            p.Buy ? BuyRequest : SellRequest, response, before, after, related, OrderBatchWriter.JoinList(["cash_market", "order", "place"]));
    }

    /// <summary>TRADE_EXECUTED: the two orders before, the trade, the orders after and the four balance effects.</summary>
    public RawTicketRow TradeTicket(RawPending p, RawTrade t)
    {
        var (incoming, resting) = t.IncomingIsBuy ? (t.BuyOrder, t.SellOrder) : (t.SellOrder, t.BuyOrder);
        var w = Start();
        w.WriteString("incoming_order_id", incoming.Id);
        w.WriteString("resting_order_id", resting.Id);
        var request = Done();

        w = Start();
        Snapshot(w, "buy_order", t.BuyOrder, t.BuyBefore);
        Snapshot(w, "sell_order", t.SellOrder, t.SellBefore);
        var before = Done();

        w = Start();
        w.WriteStartObject("trade");
        w.WriteString("id", t.Id);
        w.WriteString("buy_order_id", t.BuyOrder.Id);
        w.WriteString("sell_order_id", t.SellOrder.Id);
        w.WriteString("buyer_holder_id", t.BuyOrder.HolderId);
        w.WriteString("seller_holder_id", t.SellOrder.HolderId);
        if (t.MarketMakerId is { } mm)
        {
            w.WriteString("market_maker_id", mm);
        }

        w.WriteString("ticket_id", t.Ticket.Value);
        w.WriteString("certificate_type", Cert);
        Dec(w, "price", t.Price);
        w.WriteNumber("quantity", t.Quantity);
        Dec(w, "value", t.Price * t.Quantity);
        w.WriteString("executed_at", t.ExecutedAt);
        w.WriteEndObject();
        Snapshot(w, "buy_order", t.BuyOrder, t.BuyAfter);
        Snapshot(w, "sell_order", t.SellOrder, t.SellAfter);
        w.WriteStartArray("ledger");
        t.Effects.ForEach(e => Effect(w, e));
        w.WriteEndArray();
        var after = Done();

        return new RawTicketRow(t.Ticket, p.UserId, t.MarketMakerId, ActionTypes.TradeExecuted, EntityTypes.Trade, t.Id.ToString(),
            request, null, before, after, OrderBatchWriter.JoinList([incoming.TicketId, resting.TicketId]), OrderBatchWriter.JoinList(["trade", Cert.ToLowerInvariant()]));
    }

    private Utf8JsonWriter Start()
    {
        _buffer.ResetWrittenCount();
        _w.Reset(_buffer);
        _w.WriteStartObject();
        return _w;
    }

    private string Done()
    {
        _w.WriteEndObject();
        _w.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private static string Request(string side, string price) =>
        $$"""{"certificate_type":"{{Cert}}","side":"{{side}}","order_type":"LIMIT","price":"{{price}}","quantity":"1"}""";

    private static void Dec(Utf8JsonWriter w, string name, decimal value) => w.WriteString(name, value.ToString(CultureInfo.InvariantCulture));

    private static void Balance(Utf8JsonWriter w, string asset, RawBalance.View v)
    {
        w.WriteStartObject(asset);
        Dec(w, "available", v.Available);
        Dec(w, "locked", v.Locked);
        Dec(w, "total", v.Available + v.Locked);
        w.WriteEndObject();
    }

    /// <summary>Order.Snapshot() with the given fill state.</summary>
    private static void Snapshot(Utf8JsonWriter w, string name, RawOrder o, (long Filled, string Status) state)
    {
        w.WriteStartObject(name);
        w.WriteString("id", o.Id);
        w.WriteString("holder_id", o.HolderId);
        if (o.MarketMakerId is { } mm)
        {
            w.WriteString("market_maker_id", mm);
        }

        w.WriteString("certificate_type", Cert);
        w.WriteString("side", o.Side);
        Dec(w, "price", o.Price);
        w.WriteNumber("quantity", o.Quantity);
        w.WriteNumber("filled_quantity", state.Filled);
        w.WriteString("status", state.Status);
        w.WriteEndObject();
    }

    /// <summary>The app's OrderView, as stored (with the sequence reserved for it).</summary>
    private static void OrderView(Utf8JsonWriter w, RawOrder o, (long Filled, string Status) state)
    {
        w.WriteStartObject();
        w.WriteString("id", o.Id);
        w.WriteString("holder_id", o.HolderId);
        w.WriteString("certificate_type", Cert);
        w.WriteString("side", o.Side);
        w.WriteString("order_type", "LIMIT");
        Dec(w, "price", o.Price);
        w.WriteNumber("quantity", o.Quantity);
        w.WriteNumber("filled_quantity", state.Filled);
        w.WriteNumber("remaining_quantity", o.Quantity - state.Filled);
        w.WriteString("status", state.Status);
        w.WriteString("ticket_id", o.TicketId);
        w.WriteNumber("sequence", o.Sequence);
        w.WriteString("created_at", o.CreatedAt);
        w.WriteString("updated_at", o.UpdatedAt);
        w.WriteEndObject();
    }

    /// <summary>The app's LedgerEffect, with the ledger row's reserved id (tickets are rendered after the ids are assigned).</summary>
    private static void Effect(Utf8JsonWriter w, RawEffect e)
    {
        w.WriteStartObject();
        w.WriteString("holder_id", e.HolderId);
        w.WriteString("asset", e.Asset);
        if (e.Row is { } row)
        {
            w.WriteString("transaction_type", row.Type);
            w.WriteNumber("transaction_id", row.Id);
        }

        Dec(w, "available_change", e.AvailableChange);
        Dec(w, "locked_change", e.LockedChange);
        Dec(w, "available_after", e.AvailableAfter);
        Dec(w, "locked_after", e.LockedAfter);
        w.WriteEndObject();
    }
}
