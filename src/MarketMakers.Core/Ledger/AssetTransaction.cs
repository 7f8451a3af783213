namespace MarketMakers.Core.Ledger;

/// <summary>
/// One append-only ledger row. <see cref="Amount"/> is the signed change to available and
/// <see cref="BalanceAfter"/> is available after it. The database refuses UPDATE and DELETE on these rows.
/// </summary>
public sealed class AssetTransaction
{
    private AssetTransaction()
    {
    }

    public long Id { get; private set; }

    public string TicketId { get; private set; } = "";

    public Guid HolderId { get; private set; }

    public Asset Asset { get; private set; } = null!;

    public string TransactionType { get; private set; } = "";

    public decimal Amount { get; private set; }

    public decimal BalanceAfter { get; private set; }

    public string? Notes { get; private set; }

    public Guid? CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Set from the ids the order batch reserved, for rows written outside EF (see ActionScope.LedgerSink).</summary>
    internal void AssignId(long id) => Id = id;

    internal static AssetTransaction Record(
        string ticketId, Balance balance, string transactionType, decimal amount, string? notes, Guid? createdBy, DateTimeOffset now)
    {
        if (!TransactionTypes.All.Contains(transactionType))
        {
            throw DomainException.Validation($"Unknown transaction type '{transactionType}'.");
        }

        return new AssetTransaction
        {
            TicketId = ticketId,
            HolderId = balance.HolderId,
            Asset = balance.Asset,
            TransactionType = transactionType,
            Amount = amount,
            BalanceAfter = balance.Available,
            Notes = notes,
            CreatedBy = createdBy,
            CreatedAt = now,
        };
    }
}
