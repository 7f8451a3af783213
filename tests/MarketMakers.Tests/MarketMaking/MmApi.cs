using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.MarketMaking;

/// <summary>What a holder's ledger looks like in the database: its balances and how many ledger rows it has.</summary>
public sealed record LedgerState(string Balances, long Rows);

/// <summary>Small helpers for driving the Market Maker API as a client would.</summary>
public static class MmApi
{
    public const string Base = "/api/v1/admin/market-makers";

    /// <summary>A decimal field as the API writes it (a string); compared by value, so "700" equals "700.00".</summary>
    public static decimal Dec(this JsonElement element, string property) =>
        decimal.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);

    public static string UniqueEmail(string tag) => $"mm-{tag}-{Guid.NewGuid():N}@test.local";

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<Guid> CreateAsync(HttpClient client, object? initialBalances = null, string tag = "mm")
    {
        var response = await client.PostAsJsonAsync(Base, new
        {
            name = $"MM {tag} {Guid.NewGuid():N}",
            email = UniqueEmail(tag),
            description = "test market maker",
            initial_balances = initialBalances,
        });
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"create failed: {(int)response.StatusCode} {body}");
        return body.GetProperty("market_maker").GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> TransactAsync(HttpClient client, Guid id, string asset, string type, object amount, string? notes = null) =>
        client.PostAsJsonAsync($"{Base}/{id}/transactions", new { certificate_type = asset, transaction_type = type, amount, notes });

    public static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<LedgerState> StateAsync(string postgres, Guid holderId) => new(
        await TestDatabase.ScalarAsync<string>(postgres,
            "SELECT coalesce(string_agg(asset || ':' || available || '/' || locked, ',' ORDER BY asset), '') FROM balances WHERE holder_id = @p0",
            holderId),
        await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM asset_transactions WHERE holder_id = @p0", holderId));

    /// <summary>Asserts the SPEC §7 error body and that its ticket is stored as FAILED with the expected action type.</summary>
    public static async Task<StoredTicket> AssertRejectedAsync(string postgres, HttpResponseMessage response, HttpStatusCode status, string actionType)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        var ticketId = body.GetProperty("ticket_id").GetString();
        Assert.NotNull(ticketId);
        var ticket = await TicketAssert.LoadAsync(postgres, ticketId!);
        Assert.Equal(("FAILED", actionType), (ticket.Status, ticket.ActionType));
        Assert.Contains(body.GetProperty("detail").GetString()!, ticket.ResponseData);
        return ticket;
    }
}
