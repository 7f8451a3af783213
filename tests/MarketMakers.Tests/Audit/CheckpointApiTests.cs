using System.Net;
using System.Text.Json;
using MarketMakers.AuditVerify;
using MarketMakers.Core.Audit.Checkpoints;
using MarketMakers.Core.Audit.Sealing;
using MarketMakers.Core.Identity;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Audit;

/// <summary>The web app on a database of its own, so the verifier walks a chain only this class writes to.</summary>
public sealed class CheckpointAppFactory : AppFactory
{
    public override async Task InitializeAsync() => Postgres = await TestDatabase.CreateAsync("checkpointapi");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(Postgres);
    }
}

/// <summary>What an auditor does: download the checkpoints and the public key, and run the offline verifier on them.</summary>
public sealed class CheckpointApiTests(CheckpointAppFactory app) : IClassFixture<CheckpointAppFactory>
{
    [Fact]
    public async Task An_auditor_exports_signed_checkpoints_and_the_public_key_and_the_verifier_accepts_them()
    {
        using var auditor = await app.CreateClientForRoleAsync(Roles.Auditor);
        string ticketId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<MarketMakerService>()
                .CreateAsync(new CreateMarketMakerRequest("Checkpoint Capital", $"cp-{Guid.NewGuid():N}@example.com", null));
            ticketId = created.TicketId;
        }

        await app.Services.GetRequiredService<TicketSealer>().SealPendingAsync();
        var list = await auditor.GetAsync("/api/v1/admin/logging/checkpoints");
        var keyResponse = await auditor.GetAsync("/api/v1/admin/logging/checkpoints/public-key");
        var json = await list.Content.ReadAsStringAsync();
        var pem = await keyResponse.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyResponse.StatusCode);
        Assert.Equal("application/x-pem-file", keyResponse.Content.Headers.ContentType?.MediaType);
        var newest = JsonDocument.Parse(json).RootElement[0];
        Assert.Equal(["digest", "key_id", "last_ticket_id", "signature", "signed_at"], newest.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(ticketId, newest.GetProperty("last_ticket_id").GetString());
        using var key = CheckpointKey.FromPem(pem);
        Assert.Equal(key.KeyId, newest.GetProperty("key_id").GetString());
        Assert.Equal(key.KeyId, keyResponse.Headers.GetValues("X-Key-Id").Single());

        var dir = Directory.CreateTempSubdirectory("mm-checkpoint-api-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "checkpoints.json"), json);
            await File.WriteAllTextAsync(Path.Combine(dir, "key.pub.pem"), pem);
            using var output = new StringWriter();
            var exit = await Cli.RunAsync(
                ["--checkpoints", Path.Combine(dir, "checkpoints.json"), "--connection", app.Postgres, "--public-key", Path.Combine(dir, "key.pub.pem")],
                output, output);

            Assert.True(exit == Cli.Intact, output.ToString());
            Assert.Contains("INTACT", output.ToString());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task The_checkpoint_list_pages_newest_first()
    {
        using var admin = await app.CreateAdminClientAsync();
        await app.Services.GetRequiredService<TicketSealer>().SealPendingAsync();

        var all = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/admin/logging/checkpoints")).RootElement;
        var one = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/admin/logging/checkpoints?limit=1")).RootElement;

        Assert.Equal(1, one.GetArrayLength());
        Assert.Equal(all[0].GetProperty("signature").GetString(), one[0].GetProperty("signature").GetString());
        var times = all.EnumerateArray().Select(c => c.GetProperty("signed_at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }
}
