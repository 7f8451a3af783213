using MarketMakers.Core.Ledger;

namespace MarketMakers.Core.MarketMaking;

/// <summary>A Market Maker as the API and pages show it (<c>market_maker</c>).</summary>
public sealed record MarketMakerView(
    Guid Id,
    Guid UserId,
    string Name,
    string Email,
    string? Description,
    bool IsActive,
    IReadOnlyDictionary<string, BalanceView> CurrentBalances,
    int TotalOrders,
    int TotalTrades,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Guid? CreatedBy)
{
    /// <summary>The owner group (SPEC §4b), null for none; last, so positional callers keep working.</summary>
    public string? OwnerGroup { get; init; }

    internal static MarketMakerView From(MarketMaker m, IReadOnlyDictionary<string, BalanceView> balances, MarketActivity activity) =>
        new(m.Id, m.UserId, m.Name, m.Email, m.Description, m.IsActive, balances, activity.Orders, activity.Trades,
            m.CreatedAt, m.UpdatedAt, m.CreatedBy) { OwnerGroup = m.OwnerGroup };
}

/// <summary>How many orders and trades a Market Maker has.</summary>
public readonly record struct MarketActivity(int Orders, int Trades);

/// <summary>
/// Counts orders and trades per Market Maker for the list. The orders issue replaces <see cref="NoMarketActivity"/>
/// with a query over its orders and trades tables.
/// </summary>
public interface IMarketMakerActivity
{
    Task<IReadOnlyDictionary<Guid, MarketActivity>> CountAsync(IReadOnlyCollection<Guid> marketMakerIds, CancellationToken cancellationToken);
}

/// <summary>Before the order book exists, every Market Maker has 0 orders and 0 trades.</summary>
public sealed class NoMarketActivity : IMarketMakerActivity
{
    public Task<IReadOnlyDictionary<Guid, MarketActivity>> CountAsync(IReadOnlyCollection<Guid> marketMakerIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, MarketActivity>>(marketMakerIds.Distinct().ToDictionary(id => id, _ => new MarketActivity(0, 0)));
}
