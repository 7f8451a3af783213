namespace MarketMakers.Core.Ledger;

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
