namespace MarketMakers.Core.Matching;

public enum Side
{
    Buy,
    Sell,
}
