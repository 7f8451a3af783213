using MarketMakers.Core.Approvals;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Core.Demo;

/// <summary>
/// The demo's money, moved as four-eyes requires: the first admin creates the Market Makers and buyers and requests
/// their funding, and the demo's second admin approves each request through <see cref="ApprovalService"/>, each
/// under their own <see cref="RequestContext"/> so the tickets say who did what. With four-eyes off the same calls
/// execute at once (the MM's initial balances are deposited by its creation; a deposit is moved directly).
/// </summary>
internal sealed class DemoFunding(DemoStaff requester, DemoStaff approver)
{
    public DemoStaff Requester => requester;

    public DemoStaff Approver => approver;

    public bool FourEyes => requester.Approvals.Enabled;

    /// <summary>Finds the first admin (the one the database initializer seeded) and finds or creates the second.</summary>
    public static async Task<DemoFunding> PrepareAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var first = await FindFirstAdminAsync(services, cancellationToken);
        var requester = new DemoStaff(services, first);
        var secondId = await FindUserAsync(services, DemoSeeder.SecondAdmin.Email, cancellationToken)
            ?? await CreateSecondAdminAsync(requester, cancellationToken);
        return new DemoFunding(requester, new DemoStaff(services, Context(secondId, DemoSeeder.SecondAdmin.Email)));
    }

    public async Task<Guid> CreateMarketMakerAsync(DemoMarketMaker mm, CancellationToken cancellationToken)
    {
        var created = await requester.MarketMakers.CreateWithRequestsAsync(
            CreateMarketMaker.Parse(mm.Name, mm.Email, "Demo liquidity provider quoting CEA and EUA.",
                new Dictionary<string, decimal> { ["CEA"] = mm.Cea, ["EUA"] = mm.Eua }),
            cancellationToken);
        foreach (var request in created.Value.Requests ?? [])
        {
            await ApproveAsync(request.Id, cancellationToken);
        }

        return created.Value.MarketMaker.Id;
    }

    public async Task<Guid> CreateBuyerAsync(DemoBuyer buyer, CancellationToken cancellationToken)
    {
        var created = await requester.Clients.CreateUserAsync(
            CreateClientUser.Parse(buyer.Email, DemoSeeder.Password, buyer.FirstName, buyer.LastName, Roles.Funded, buyer.Entity), cancellationToken);
        var holder = new LedgerHolder.ClientUser(new UserId(created.Value.Id));
        var submitted = await requester.Approvals.SubmitAsync(MoveAssets.Create(holder, MovementType.Deposit, Amount.Cash(buyer.Eur), "Demo funding"), cancellationToken);
        if (submitted.Value.Requested is { } request)
        {
            await ApproveAsync(request.Id, cancellationToken);
        }

        return created.Value.Id;
    }

    /// <summary>
    /// Four-eyes only: work left on the Approvals page, one request for each admin to decide (the first admin can
    /// approve the second's; their own waits for the second admin). Moves nothing, so the market is the same either way.
    /// </summary>
    public async Task<int> LeavePendingAsync(Guid nordic, Guid baltic, CancellationToken cancellationToken)
    {
        if (!FourEyes)
        {
            return 0;
        }

        await approver.Approvals.SubmitAsync(MoveAssets.Create(new LedgerHolder.MarketMaker(new MarketMakerId(baltic)), MovementType.Deposit,
            Amount.Cash(150_000m), "Demo: EUR working capital for the Baltic desk"), cancellationToken);
        await requester.Approvals.SubmitAsync(MoveAssets.Create(new LedgerHolder.MarketMaker(new MarketMakerId(nordic)), MovementType.Withdrawal,
            Amount.Parse(Asset.Cea, 1_000m), "Demo: CEA back to the Nordic registry account"), cancellationToken);
        return 2;
    }

    private Task ApproveAsync(Guid requestId, CancellationToken cancellationToken) =>
        approver.Approvals.ApproveAsync(new ApproveMovement(new MovementRequestId(requestId)), cancellationToken);

    /// <summary>As a staff member's creation on the Staff page, minus the forced password change: the tour stays friction-free.</summary>
    private static async Task<Guid> CreateSecondAdminAsync(DemoStaff creator, CancellationToken cancellationToken)
    {
        var admin = DemoSeeder.SecondAdmin;
        var draft = CreateStaffMember.Ticket(new { email = admin.Email, first_name = admin.FirstName, last_name = admin.LastName, role = Roles.Admin });
        draft.Tags.Add("demo");
        var created = await creator.Runner.RunAsync(draft, async scope =>
        {
            var user = await creator.Users.AddAsync(scope, new NewUser(admin.Email, admin.Password, admin.FirstName, admin.LastName, Roles.Admin), cancellationToken);
            var view = StaffView.From(user, Roles.Admin);
            draft.EntityId = user.Id.ToString();
            draft.After = view.Snapshot();
            return user.Id;
        }, cancellationToken);
        return created.Value;
    }

    private static async Task<RequestContext> FindFirstAdminAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<MarketMakersDbContext>>().CreateDbContextAsync(cancellationToken);
        var second = DemoSeeder.SecondAdmin.Email.ToUpperInvariant();
        var first = await (
            from u in db.Users.AsNoTracking()
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where r.Name == Roles.Admin && u.IsActive && u.NormalizedEmail != second
            orderby u.CreatedAt, u.Id
            select new { u.Id, u.Email }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException("The demo needs the seeded admin; run the database initializer first.");
        return Context(first.Id, first.Email!);
    }

    private static async Task<Guid?> FindUserAsync(IServiceProvider services, string email, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<MarketMakersDbContext>>().CreateDbContextAsync(cancellationToken);
        var normalized = email.ToUpperInvariant();
        return await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => (Guid?)u.Id).SingleOrDefaultAsync(cancellationToken);
    }

    // The seeder runs at start-up, outside any HTTP request or circuit: no address or session, but a named actor.
    private static RequestContext Context(Guid userId, string email) => new(userId, email, null, "MarketMakers demo seeder", null);
}

/// <summary>
/// Core services acting as one staff member. The seeder has no request or circuit to carry an identity, so the
/// services are built here with a fixed context instead of the scope's.
/// </summary>
internal sealed class DemoStaff
{
    public DemoStaff(IServiceProvider services, RequestContext context)
    {
        Context = context;
        Runner = ActivatorUtilities.CreateInstance<BusinessActionRunner>(services, new FixedRequestContextAccessor(context));
        var movements = ActivatorUtilities.CreateInstance<LedgerMovementService>(services, Runner);
        Approvals = ActivatorUtilities.CreateInstance<ApprovalService>(services, Runner, movements);
        MarketMakers = ActivatorUtilities.CreateInstance<MarketMakerService>(services, Runner, Approvals);
        Clients = ActivatorUtilities.CreateInstance<ClientService>(services, Runner);
        Users = services.GetRequiredService<UserAccounts>();
    }

    public RequestContext Context { get; }

    public BusinessActionRunner Runner { get; }

    public ApprovalService Approvals { get; }

    public MarketMakerService MarketMakers { get; }

    public ClientService Clients { get; }

    public UserAccounts Users { get; }
}
