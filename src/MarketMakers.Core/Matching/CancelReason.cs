namespace MarketMakers.Core.Matching;

/// <summary>Why the engine cancelled (part of) an incoming order instead of resting it.</summary>
public enum CancelReason
{
    None,

    /// <summary>The best crossing opposite order belonged to the same holder.</summary>
    SelfTradePrevention,

    /// <summary>The best crossing opposite order belonged to another holder of the same trading (owner) group.</summary>
    WashTradePrevention,
}
