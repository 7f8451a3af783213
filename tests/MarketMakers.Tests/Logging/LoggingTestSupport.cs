using System.Text.Json;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Logging;

/// <summary>Tickets recorded through the real runner, and the logging API's JSON, for the logging tests.</summary>
internal static class LoggingTestSupport
{
    /// <summary>Runs <paramref name="count"/> audited actions tagged <paramref name="tag"/> (refused ones when <paramref name="fail"/>) and returns their ticket ids.</summary>
    public static async Task<List<string>> RecordAsync(
        IServiceProvider services, string tag, int count, string action = ActionTypes.UserRoleChanged, string? entityId = null, bool fail = false)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
            var draft = new TicketDraft(action, EntityTypes.User) { EntityId = entityId };
            draft.Tags.Add(tag);
            if (fail)
            {
                var ex = await Assert.ThrowsAsync<DomainException>(() => runner.RunAsync(draft, _ => throw DomainException.Rule("refused")));
                ids.Add(ex.TicketId!);
            }
            else
            {
                ids.Add((await runner.RunAsync(draft, _ => Task.CompletedTask)).TicketId);
            }
        }

        return ids;
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
