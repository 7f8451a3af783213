using MarketMakers.Core;
using MarketMakers.Core.Approvals;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Audit.Sealing;
using MarketMakers.Core.Demo;
using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Obligations;
using MarketMakers.Core.Persistence;
using MarketMakers.Web.Api;
using MarketMakers.Web.Api.Approvals;
using MarketMakers.Web.Api.Auth;
using MarketMakers.Web.Api.CashMarket;
using MarketMakers.Web.Api.Clients;
using MarketMakers.Web.Api.Logging;
using MarketMakers.Web.Api.MarketData;
using MarketMakers.Web.Api.MarketMaking;
using MarketMakers.Web.Api.MarketOrders;
using MarketMakers.Web.Api.Obligations;
using MarketMakers.Web.Api.Reconciliation;
using MarketMakers.Web.Api.Risk;
using MarketMakers.Web.Api.Staff;
using MarketMakers.Web.Api.Statements;
using MarketMakers.Web.Auth;
using MarketMakers.Web.Components;
using MarketMakers.Web.Health;
using MarketMakers.Web.Security;
using MarketMakers.Web.Telemetry;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.DataProtection;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

// `./run.sh` runs the build output in Production: serve package assets (MudBlazor) from the static web assets
// manifest as `dotnet run` would in Development. A published app has no such manifest and this is a no-op.
builder.WebHost.UseStaticWebAssets();
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5000");
}

builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<IRequestContextAccessor, WebRequestContextAccessor>();
builder.Services.AddMarketMakersCore();
builder.Services.AddDemoSeeder();
builder.Services.AddScoped<MarketMakers.Web.Market.MarketGateway>();
builder.Services.AddDataProtection()
    .SetApplicationName("MarketMakers")
    .PersistKeysToDbContext<MarketMakersDbContext>();
builder.Services.AddMarketMakersAuth();
builder.Services.AddMarketMakersHealthChecks();
builder.AddMarketMakersTelemetry();
builder.Services.AddMarketMakersSecurity(builder.Configuration);
builder.Services.AddIdempotencyKeyCleanup();
builder.Services.AddMovementRequestExpiry();
builder.Services.AddObligationSampling();
if (builder.Configuration.GetValue("Audit:Sealing:Enabled", true))
{
    builder.Services.AddHostedService<TicketSealingService>();
}

builder.Services.AddHostedService<TicketStatsCompactionService>();

builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
builder.Services.AddMarketMakersOpenApi();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);

var app = builder.Build();

if (!app.Configuration.GetValue("Database:SkipInitialization", false))
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
}

// `./run.sh --demo`: a living market for newcomers, seeded once through the real (ticketed) services.
if (app.Configuration.GetValue("Demo:Seed", false))
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
}

app.UseMarketMakersSecurity();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseAuthentication();
app.UseTwoFactorGate();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapMarketMakersOpenApi();
app.MapMarketMakersHealth();
app.MapMarketMakersMetrics();
app.MapAccountEndpoints();

var api = app.MapGroup("/api/v1").AddEndpointFilter<DomainExceptionFilter>();
api.MapAuthApi();
api.MapCashMarketApi();
api.MapMarketDataApi();
api.MapStatementCashMarketApi();
var admin = api.MapGroup("/admin").RequireAuthorization(Permissions.StaffApi);
admin.MapLoggingApi();
admin.MapMarketMakerApi();
admin.MapStatementAdminApi();
admin.MapReconciliationApi();
admin.MapMarketOrderApi();
admin.MapQuoteApi();
admin.MapClientApi();
admin.MapStaffApi();
admin.MapApprovalApi();
admin.MapRiskApi();
admin.MapObligationApi();
app.MapLoggingExport();
app.MapComplianceExport();

app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

/// <summary>Entry point; public so WebApplicationFactory can host the app in tests.</summary>
public partial class Program;
