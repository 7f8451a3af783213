namespace MarketMakers.Core.Ledger;

/// <summary>The assets a holder can hold: two certificate types in whole units, and EUR in cents.</summary>
public static class Assets
{
    public const string Cea = "CEA";
    public const string Eua = "EUA";
    public const string Eur = "EUR";

    /// <summary>numeric(20,2) holds up to 10^18; refuse anything near it so no amount can overflow a column.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    public static IReadOnlyList<string> All { get; } = [Cea, Eua, Eur];

    public static IReadOnlyList<string> Certificates { get; } = [Cea, Eua];

    public static bool IsCertificate(string asset) => asset is Cea or Eua;

    /// <summary>Accepts a known asset code (case-insensitive) and returns its canonical spelling.</summary>
    public static string Parse(string? value) =>
        All.FirstOrDefault(a => string.Equals(a, value?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw DomainException.Validation($"Unknown asset '{value}'. Use one of {string.Join(", ", All)}.");

    /// <summary>
    /// Why <paramref name="amount"/> is not a positive amount in the asset's unit (whole certificates, or EUR with at
    /// most 2 decimals), or null when it is. Pages use it to pre-check input with the service's own wording.
    /// </summary>
    public static string? AmountError(string asset, decimal? amount) => amount switch
    {
        null => "An amount is required.",
        <= 0 => "The amount must be greater than 0.",
        > MaxAmount => $"The amount must not exceed {MaxAmount:0}.",
        { } v when decimal.Round(v, 2) != v => "The amount may have at most 2 decimals.",
        { } v when IsCertificate(asset) && decimal.Truncate(v) != v => $"{asset} amounts must be whole certificates.",
        _ => null,
    };

    /// <summary>The amount, or a validation refusal with <see cref="AmountError"/>'s message.</summary>
    public static decimal ValidateAmount(string asset, decimal? amount) =>
        AmountError(asset, amount) is { } error ? throw DomainException.Validation(error) : amount!.Value;
}

/// <summary>The kinds of ledger row.</summary>
public static class TransactionTypes
{
    public const string Deposit = "DEPOSIT";
    public const string Withdrawal = "WITHDRAWAL";
    public const string TradeDebit = "TRADE_DEBIT";
    public const string TradeCredit = "TRADE_CREDIT";

    public static IReadOnlyList<string> All { get; } = [Deposit, Withdrawal, TradeDebit, TradeCredit];
}

/// <summary>What kind of party a ledger holder is.</summary>
public static class HolderKinds
{
    public const string MarketMaker = "MARKET_MAKER";
    public const string ClientEntity = "CLIENT_ENTITY";
}
