using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.Orders;
using Npgsql;

namespace MarketMakers.Tests.Risk;

/// <summary>An order as the database holds it.</summary>
public sealed record StoredOrder(Guid Id, Guid? MarketMakerId, string CertificateType, string Side, string Status, long Sequence, string TicketId, decimal RemainingLock, string LockedAsset);

/// <summary>Drives the kill switch and reads back orders and MASS_CANCEL tickets with raw SQL.</summary>
public static class MassCancelApi
{
    public const string CancelAll = OrderApi.MarketOrders + "/cancel-all";

    public static Task<HttpResponseMessage> CancelAllAsync(HttpClient client, object filter, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, CancelAll) { Content = JsonContent.Create(filter) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        return client.SendAsync(request);
    }

    public static async Task<Guid> PlaceAsync(HttpClient admin, Guid mm, string certificate, string price, string quantity)
    {
        var placed = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, certificate, price, quantity));
        return placed.GetProperty("order").GetProperty("id").GetGuid();
    }

    public static async Task<List<StoredOrder>> OrdersAsync(string postgres, string where, params object[] args)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"""
            SELECT id, market_maker_id, certificate_type, side, status, sequence, ticket_id,
                   CASE WHEN side = 'BUY' THEN (quantity - filled_quantity) * price ELSE quantity - filled_quantity END,
                   CASE WHEN side = 'BUY' THEN 'EUR' ELSE certificate_type END
            FROM orders WHERE {where} ORDER BY sequence
            """, conn);
        for (var i = 0; i < args.Length; i++)
        {
            cmd.Parameters.AddWithValue($"p{i}", args[i]);
        }

        var result = new List<StoredOrder>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            result.Add(new StoredOrder(r.GetGuid(0), r.IsDBNull(1) ? null : r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetInt64(5), r.GetString(6), r.GetDecimal(7), r.GetString(8)));
        }

        return result;
    }

    public static async Task<Guid?> TicketMarketMakerAsync(string postgres, string ticketId)
    {
        var text = await TestDatabase.ScalarAsync<string>(postgres, "SELECT coalesce(market_maker_id::text, '') FROM ticket_logs WHERE ticket_id = @p0", ticketId);
        return Guid.TryParse(text, out var id) ? id : null;
    }

    public static Task<long> MassCancelTicketCountAsync(string postgres) =>
        TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM ticket_logs WHERE action_type = 'MASS_CANCEL' AND status = 'SUCCESS'");

    public static JsonElement After(StoredTicket ticket) => JsonDocument.Parse(ticket.AfterState!).RootElement.Clone();

    public static List<Guid> OrderIds(JsonElement after) => after.GetProperty("order_ids").EnumerateArray().Select(e => e.GetGuid()).ToList();

    /// <summary>The holder's locked figure per asset equals what its open orders still hold.</summary>
    public static async Task AssertLocksMatchOpenOrdersAsync(string postgres, Guid holderId)
    {
        var open = (await OrdersAsync(postgres, "holder_id = @p0 AND status IN ('OPEN', 'PARTIALLY_FILLED')", holderId))
            .GroupBy(o => o.LockedAsset).ToDictionary(g => g.Key, g => g.Sum(o => o.RemainingLock));
        foreach (var asset in new[] { "CEA", "EUA", "EUR" })
        {
            var locked = await TestDatabase.ScalarAsync<decimal>(postgres,
                "SELECT coalesce((SELECT locked FROM balances WHERE holder_id = @p0 AND asset = @p1), 0)", holderId, asset);
            Assert.True(open.GetValueOrDefault(asset) == locked, $"{asset}: locked {locked}, open orders hold {open.GetValueOrDefault(asset)}");
        }
    }
}
