using MarketMakers.Core.Ledger;

namespace MarketMakers.Web.Market;

/// <summary>An order as the market pages list it.</summary>
public sealed record OrderRow(
    Guid Id,
    string CertificateType,
    string Side,
    decimal Price,
    decimal Quantity,
    decimal FilledQuantity,
    string Status,
    Guid? MarketMakerId,
    string? HolderName,
    string TicketId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public decimal Remaining => Quantity - FilledQuantity;

    public bool IsCancellable => Status is "OPEN" or "PARTIALLY_FILLED";
}

/// <summary>A trade as the market pages list it; <see cref="Side"/> is the viewer's side when known.</summary>
public sealed record TradeRow(
    Guid Id,
    string CertificateType,
    string? Side,
    decimal Price,
    decimal Quantity,
    Guid? MarketMakerId,
    string TicketId,
    DateTimeOffset ExecutedAt)
{
    public decimal Value => Price * Quantity;
}

/// <summary>What a placement did: the order as it stands, its trades, and why any remainder was cancelled.</summary>
public sealed record PlacementResult(string TicketId, OrderRow Order, IReadOnlyList<TradeRow> Trades, string? CancelReason);

/// <summary>A client user with the balances of its entity.</summary>
public sealed record ClientRow(
    Guid UserId,
    Guid? EntityId,
    string Email,
    string FirstName,
    string LastName,
    string EntityName,
    string Role,
    IReadOnlyDictionary<string, BalanceView> Balances,
    DateTimeOffset CreatedAt)
{
    public string Name => $"{FirstName} {LastName}".Trim();

    public BalanceView Balance(string asset) => Balances.TryGetValue(asset, out var b) ? b : BalanceView.Zero;
}

public sealed record NewClient(string? Email, string? Password, string? FirstName, string? LastName, string? EntityName, string? Role);
