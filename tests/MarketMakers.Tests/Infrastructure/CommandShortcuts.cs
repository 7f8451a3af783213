using MarketMakers.Core.Audit;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;

namespace MarketMakers.Tests;

/// <summary>Test set-up input, as a user types it; the shortcuts below parse it into the real commands.</summary>
public sealed record CreateMarketMakerRequest(
    string? Name, string? Email, string? Description, IReadOnlyDictionary<string, decimal>? InitialBalances = null);

public sealed record CreateClientUserRequest(
    string? Email, string? Password, string? FirstName, string? LastName, string? Role, string? EntityName);

public sealed record LedgerTransactionRequest(string? CertificateType, string? TransactionType, decimal? Amount, string? Notes);

/// <summary>Set-up shortcuts over the services' commands, so tests arrange state in one line.</summary>
public static class CommandShortcuts
{
    public static Task<Audited<MarketMakerView>> CreateAsync(this MarketMakerService s, CreateMarketMakerRequest r) =>
        s.CreateAsync(CreateMarketMaker.Parse(r.Name, r.Email, r.Description, r.InitialBalances));

    public static Task<Audited<ClientUserView>> CreateUserAsync(this ClientService s, CreateClientUserRequest r) =>
        s.CreateUserAsync(CreateClientUser.Parse(r.Email, r.Password, r.FirstName, r.LastName, r.Role, r.EntityName));

    public static Task<Audited<MovementResult>> TransactAsync(this LedgerMovementService s, Guid marketMakerId, LedgerTransactionRequest r) =>
        s.MoveAsync(MoveAssets.Parse(new LedgerHolder.MarketMaker(new MarketMakerId(marketMakerId)), r.CertificateType, r.TransactionType, r.Amount, r.Notes));

    /// <summary>A deposit (or withdrawal) for a client user's entity.</summary>
    public static Task<Audited<MovementResult>> FundAsync(
        this LedgerMovementService s, Guid userId, string asset, decimal amount, string type = "DEPOSIT", string? notes = null) =>
        s.MoveAsync(MoveAssets.Parse(new LedgerHolder.ClientUser(new UserId(userId)), asset, type, amount, notes));

    public static Task<Audited<PlacedOrder>> PlaceMarketMakerOrderAsync(this OrderService s, Guid marketMakerId, OrderTerms terms, CancellationToken ct = default) =>
        s.PlaceMarketMakerOrderAsync(PlaceMarketMakerOrder.Create(new MarketMakerId(marketMakerId), terms), ct);

    public static Task<Audited<PlacedOrder>> PlaceClientOrderAsync(this OrderService s, Guid userId, OrderTerms terms, CancellationToken ct = default) =>
        s.PlaceClientOrderAsync(new PlaceClientOrder(new UserId(userId), terms), ct);

    public static Task<Audited<OrderView>> CancelMarketMakerOrderAsync(this OrderService s, Guid orderId) =>
        s.CancelMarketMakerOrderAsync(new CancelMarketMakerOrder(new OrderId(orderId)));

    public static Task<Audited<OrderView>> CancelClientOrderAsync(this OrderService s, Guid userId, Guid orderId) =>
        s.CancelClientOrderAsync(new CancelClientOrder(new UserId(userId), new OrderId(orderId)));

    public static OrderTerms Terms(string certificate, string side, decimal price, long quantity) =>
        OrderTerms.Parse(certificate, side, "LIMIT", price, quantity);
}
