using MarketMakers.Core.Matching;

namespace MarketMakers.Core.Orders;

/// <summary>
/// A Market Maker as the batch sees it for wash-trade prevention (SPEC §4b): its name, for the user's message, and its
/// owner group. Read in round trip 1: for resting orders with the candidates, for incoming ones with the MM check.
/// </summary>
internal sealed record TradingParty(string Name, string? OwnerGroup)
{
    /// <summary>The engine's group key; null when the Market Maker has no group and trades alone.</summary>
    public Guid? GroupKey { get; } = TradingGroup.Key(OwnerGroup);
}
