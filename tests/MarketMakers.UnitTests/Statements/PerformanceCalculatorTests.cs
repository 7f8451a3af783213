using MarketMakers.Core.Statements;

namespace MarketMakers.UnitTests.Statements;

/// <summary>The average-cost method on hand-computed cases: adding, reducing, flipping and a flat finish.</summary>
public sealed class PerformanceCalculatorTests
{
    [Fact]
    public void Buys_average_their_cost_and_a_sell_realizes_against_it()
    {
        var p = PerformanceCalculator.Compute([new(true, 10m, 10), new(true, 13m, 20), new(false, 15m, 15)], 45, 45, 14m);

        // Cost (10 × 10 + 20 × 13) / 30 = 12; selling 15 at 15 realizes 45; 15 left at 12, worth 14: unrealized 30.
        Assert.Equal((15L, 12m, 45m, 30m, 1m), (p.NetPosition, p.AverageCost, p.RealizedPnl, p.UnrealizedPnl, p.FillRatio));
    }

    [Fact]
    public void A_fill_larger_than_the_position_closes_it_and_opens_the_rest_at_its_price()
    {
        var p = PerformanceCalculator.Compute([new(true, 20m, 5), new(false, 22m, 8)], 16, 13, 21m);

        // Long 5 at 20; selling 8 at 22 realizes 5 × 2 = 10 and opens short 3 at 22, worth 21: unrealized 3.
        Assert.Equal((-3L, 22m, 10m, 3m), (p.NetPosition, p.AverageCost, p.RealizedPnl, p.UnrealizedPnl));
        Assert.Equal(0.8125m, p.FillRatio);
    }

    [Fact]
    public void A_flat_finish_has_no_average_cost_and_no_unrealized_pnl()
    {
        var p = PerformanceCalculator.Compute([new(false, 30m, 4), new(true, 28m, 4)], 0, 0, null);

        Assert.Equal((0L, (decimal?)null, 8m, (decimal?)0m, (decimal?)null), (p.NetPosition, p.AverageCost, p.RealizedPnl, p.UnrealizedPnl, p.FillRatio));
    }
}
