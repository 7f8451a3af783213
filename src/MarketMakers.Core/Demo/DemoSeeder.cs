using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketMakers.Core.Demo;

/// <summary>
/// `./run.sh --demo` (configuration <c>Demo:Seed</c>): two Market Makers with CEA/EUA, two funded buyers with EUR,
/// resting orders on both sides of both books and a few trades, so a newcomer sees a living market. Everything goes
/// through the real services, so every step is ticketed. With four-eyes on (the default, also in the demo) the money
/// is requested by the first admin and approved by a second one (<see cref="SecondAdmin"/>, see <see cref="DemoFunding"/>),
/// and two requests are left PENDING for the Approvals page. Idempotent: nothing happens when the demo MMs exist.
/// </summary>
public sealed class DemoSeeder(
    IServiceProvider services,
    OrderService orders,
    IDbContextFactory<MarketMakersDbContext> dbFactory,
    ILogger<DemoSeeder> logger)
{
    /// <summary>The demo buyers' password (demo data only; never use it for real accounts).</summary>
    public const string Password = "Demo-Trader-2026";

    /// <summary>The second ADMIN who approves the first admin's requests (demo only; no forced password change, no 2FA).</summary>
    public static readonly DemoStaffMember SecondAdmin = new("admin2@marketmakers.local", "Demo-Approver-2026", "Second", "Administrator");

    public static readonly DemoMarketMaker Nordic = new("Nordic Carbon Liquidity", "desk@nordic-carbon.demo", 25_000, 20_000);
    public static readonly DemoMarketMaker Baltic = new("Baltic Allowance Partners", "desk@baltic-allowance.demo", 18_000, 24_000);
    public static readonly DemoBuyer Anna = new("anna.lindqvist@fjordsteel.demo", "Anna", "Lindqvist", "Fjord Steel AB", 2_500_000m);
    public static readonly DemoBuyer Marco = new("marco.bianchi@alpinecement.demo", "Marco", "Bianchi", "Alpine Cement S.p.A.", 1_750_000m);

    /// <summary>Seeds once; true when it seeded, false when the demo data was already there.</summary>
    public async Task<bool> SeedAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var emails = new[] { Nordic.Email, Baltic.Email };
            if (await db.MarketMakers.AnyAsync(m => emails.Contains(m.Email), cancellationToken))
            {
                logger.LogInformation("Demo data already present; not seeding again");
                LogSignIns();
                return false;
            }
        }

        var funding = await DemoFunding.PrepareAsync(services, cancellationToken);
        var nordic = await funding.CreateMarketMakerAsync(Nordic, cancellationToken);
        var baltic = await funding.CreateMarketMakerAsync(Baltic, cancellationToken);
        var anna = await funding.CreateBuyerAsync(Anna, cancellationToken);
        var marco = await funding.CreateBuyerAsync(Marco, cancellationToken);

        // Resting asks: the Market Makers quote both books.
        (Guid Mm, string Type, decimal Price, int Quantity)[] asks =
        [
            (nordic, "CEA", 72.40m, 500), (baltic, "CEA", 72.55m, 800), (nordic, "CEA", 72.80m, 1200), (baltic, "CEA", 73.10m, 1500),
            (nordic, "CEA", 73.50m, 2000), (baltic, "EUA", 68.20m, 400), (nordic, "EUA", 68.35m, 700), (baltic, "EUA", 68.60m, 1000),
            (nordic, "EUA", 69.00m, 1500), (baltic, "EUA", 69.40m, 2000),
        ];
        foreach (var (mm, type, price, quantity) in asks)
        {
            await orders.PlaceMarketMakerOrderAsync(PlaceMarketMakerOrder.Create(new MarketMakerId(mm), Terms(type, OrderSide.Sell, price, quantity)), cancellationToken);
        }

        // Resting bids from the buyers, below the asks.
        (Guid User, string Type, decimal Price, int Quantity)[] bids =
        [
            (anna, "CEA", 71.90m, 300), (marco, "CEA", 71.75m, 600), (anna, "CEA", 71.50m, 900), (marco, "CEA", 71.20m, 1200),
            (marco, "EUA", 67.80m, 350), (anna, "EUA", 67.65m, 500), (marco, "EUA", 67.40m, 800), (anna, "EUA", 67.00m, 1000),
        ];
        foreach (var (user, type, price, quantity) in bids)
        {
            await orders.PlaceClientOrderAsync(new PlaceClientOrder(new UserId(user), Terms(type, OrderSide.Buy, price, quantity)), cancellationToken);
        }

        // A few trades: buyers lifting the best offers (the last two sweep two levels each).
        (Guid User, string Type, decimal Price, int Quantity)[] lifts =
        [
            (anna, "CEA", 72.40m, 200), (marco, "CEA", 72.55m, 450), (marco, "EUA", 68.20m, 250), (anna, "EUA", 68.35m, 300),
        ];
        foreach (var (user, type, price, quantity) in lifts)
        {
            await orders.PlaceClientOrderAsync(new PlaceClientOrder(new UserId(user), Terms(type, OrderSide.Buy, price, quantity)), cancellationToken);
        }

        var pending = await funding.LeavePendingAsync(nordic, baltic, cancellationToken);
        logger.LogInformation("Demo data seeded: 2 Market Makers, 2 funded buyers, {Orders} orders, trades in CEA and EUA",
            asks.Length + bids.Length + lifts.Length);
        if (funding.FourEyes)
        {
            logger.LogWarning("Four-eyes is ON in the demo: {Requester} requested the funding and {Approver} approved it; {Pending} requests await a decision on /backoffice/approvals",
                funding.Requester.Context.UserEmail, funding.Approver.Context.UserEmail, pending);
        }

        LogSignIns();
        return true;
    }

    private static OrderTerms Terms(string type, OrderSide side, decimal price, int quantity) =>
        new(CertificateType.Parse(type), side, Price.Parse(price), Quantity.Parse(quantity));

    private void LogSignIns()
    {
        foreach (var buyer in new[] { Anna, Marco })
        {
            logger.LogWarning("Demo sign-in (FUNDED buyer, {Entity}): {Email} / {Password}", buyer.Entity, buyer.Email, Password);
        }

        logger.LogWarning("Demo sign-in (second ADMIN, approves the first admin's requests; no 2FA in the demo): {Email} / {Password}",
            SecondAdmin.Email, SecondAdmin.Password);
        logger.LogWarning("Demo Market Makers: {Nordic} and {Baltic}; sign in as the admin to place their orders on /backoffice/market-orders",
            Nordic.Name, Baltic.Name);
    }
}

public sealed record DemoMarketMaker(string Name, string Email, decimal Cea, decimal Eua);

public sealed record DemoBuyer(string Email, string FirstName, string LastName, string Entity, decimal Eur);

public sealed record DemoStaffMember(string Email, string Password, string FirstName, string LastName);

public static class DemoServiceCollectionExtensions
{
    public static IServiceCollection AddDemoSeeder(this IServiceCollection services) => services.AddScoped<DemoSeeder>();
}
