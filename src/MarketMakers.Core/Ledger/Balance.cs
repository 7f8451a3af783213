namespace MarketMakers.Core.Ledger;

/// <summary>
/// The O(1) projection of one holder's ledger in one asset. Only <see cref="LedgerService"/> changes it, under
/// a row lock, together with the ledger row that explains the change.
/// </summary>
public sealed class Balance
{
    /// <summary>Keeps every figure well inside numeric(20,2).</summary>
    public const decimal MaxBalance = 100_000_000_000_000_000m;

    private Balance()
    {
    }

    public Guid HolderId { get; private set; }

    public Asset Asset { get; private set; } = null!;

    public decimal Available { get; private set; }

    public decimal Locked { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public decimal Total => Available + Locked;

    /// <summary>A row as stored, read (and locked) by the order batch without EF.</summary>
    internal static Balance Load(Guid holderId, Asset asset, decimal available, decimal locked, DateTimeOffset updatedAt) => new()
    {
        HolderId = holderId,
        Asset = asset,
        Available = available,
        Locked = locked,
        UpdatedAt = updatedAt,
    };

    public BalanceView ToView() => new(Available, Locked, Total);

    /// <summary>The refusal of a movement that needs more than is available (also for a row that does not exist yet).</summary>
    internal static DomainException Insufficient(Asset asset, decimal available, decimal required) =>
        DomainException.Rule($"Insufficient available {asset} balance: {available} available, {required} required.");

    /// <summary>Moves available and locked by the given deltas; refuses to let either go negative.</summary>
    internal void Apply(decimal deltaAvailable, decimal deltaLocked, DateTimeOffset now)
    {
        if (Available + deltaAvailable < 0)
        {
            throw Insufficient(Asset, Available, -deltaAvailable);
        }

        if (Locked + deltaLocked < 0)
        {
            throw DomainException.Rule(
                $"Insufficient locked {Asset} balance: {Locked} locked, {-deltaLocked} required.");
        }

        if (Available + deltaAvailable > MaxBalance || Locked + deltaLocked > MaxBalance)
        {
            throw DomainException.Rule($"The {Asset} balance would exceed {MaxBalance:0}.");
        }

        Available += deltaAvailable;
        Locked += deltaLocked;
        UpdatedAt = now;
    }
}

/// <summary>available, locked and total of one asset (balance shape).</summary>
public sealed record BalanceView(decimal Available, decimal Locked, decimal Total)
{
    public static BalanceView Zero { get; } = new(0m, 0m, 0m);

    /// <summary>A zero balance of every asset, keyed by code: the shape every balances read starts from.</summary>
    internal static Dictionary<string, BalanceView> ZeroPerAsset() => Asset.All.ToDictionary(a => a.Value, _ => Zero);
}
