using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Persistence;
using MarketMakers.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace MarketMakers.Tests.Identity;

/// <summary>The app with two-factor sign-in required for staff (the product default; other tests turn it off).</summary>
public sealed class TwoFactorAppFactory : AppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Security:RequireTwoFactor", "true");
    }
}

/// <summary>Enrollment, codes from an independent TOTP implementation (Otp.NET), and page sign-in over plain HTTP.</summary>
public static partial class TwoFactorTestKit
{
    /// <summary>
    /// A code for the time step <paramref name="steps"/> away from now. Identity accepts two steps either side, and
    /// a code is refused once used, so tests take distinct steps for distinct sign-ins.
    /// </summary>
    public static string Code(string key, int steps = 0) =>
        new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal))).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));

    /// <summary>Enrolls through the service (the browser test enrolls through the page); returns key and recovery codes.</summary>
    public static async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> EnrollAsync(IServiceProvider services, Guid userId)
    {
        await using var scope = services.CreateAsyncScope();
        var enrollment = scope.ServiceProvider.GetRequiredService<TwoFactorEnrollment>();
        var setup = await enrollment.GetSetupAsync(userId);
        var codes = await enrollment.EnableAsync(userId, Code(setup.Key!, -2));
        return (setup.Key!, codes.Value);
    }

    public static async Task<HttpResponseMessage> ApiLoginAsync(AppFactory app, string email, string password, string? otp = null)
    {
        using var client = app.CreateApiClient();
        return await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password, otp });
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>A browser-like client (cookies, no auto-redirect) that has posted the sign-in form.</summary>
    public static async Task<(HttpClient Client, HttpResponseMessage Response)> PageLoginAsync(AppFactory app, string email, string password)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await PostFormAsync(client, "/login", "/account/login", new() { ["email"] = email, ["password"] = password });
        return (client, response);
    }

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string formPage, string action, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(formPage);
        fields["__RequestVerificationToken"] = AntiforgeryField().Match(html).Groups[1].Value;
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public static async Task MutateUserAsync(AppFactory app, Guid userId, Action<AppUser> change)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<MarketMakersDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            change(await db.Users.SingleAsync(u => u.Id == userId));
            await db.SaveChangesAsync();
        }

        await app.Services.GetRequiredService<IUserSessionEvents>().UserChangedAsync(userId);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
