using MarketMakers.Core;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MarketMakers.Tests.Orders;

/// <summary>
/// Issue 4 property test (seeded generator): thousands of random deposits, withdrawals, placements on both sides
/// (crossing and not) and cancels over several holders, through the services, in a database of its own. After
/// every step the SPEC §3 invariants hold (reconciliation), the books are uncrossed and every asset is conserved.
/// </summary>
public sealed class OrderPropertyTests(ITestOutputHelper output)
{
    private const int Steps = 2000;
    private static readonly string[] Certificates = ["CEA", "EUA"];

    [Fact]
    public async Task Random_market_activity_keeps_every_invariant_after_every_step()
    {
        var postgres = await TestDatabase.CreateAsync("prop");
        try
        {
            await using var services = TestDatabase.BuildServices(postgres);
            var random = new Random(20261123);
            var net = Asset.All.ToDictionary(a => a.Value, _ => 0m);
            var makers = new List<Guid>();
            for (var i = 0; i < 2; i++)
            {
                // EUR too, so that their ladders can bid (issue 17).
                var initial = new Dictionary<string, decimal> { ["CEA"] = 500, ["EUA"] = 500, ["EUR"] = 20_000m };
                makers.Add(await Market.CreateMarketMakerAsync(services, initial));
                net["CEA"] += 500;
                net["EUA"] += 500;
                net["EUR"] += 20_000m;
            }

            var traders = new List<(Guid UserId, Guid EntityId)>();
            for (var i = 0; i < 4; i++)
            {
                var funds = new Dictionary<string, decimal> { ["EUR"] = 20_000m, ["CEA"] = 100, ["EUA"] = 100 };
                traders.Add(await Market.CreateTraderAsync(services, funds));
                foreach (var (a, v) in funds)
                {
                    net[a] += v;
                }
            }

            var counts = new Dictionary<string, int>();
            for (var step = 0; step < Steps; step++)
            {
                var action = await StepAsync(services, postgres, random, makers, traders, net);
                counts[action] = counts.GetValueOrDefault(action) + 1;

                Assert.Equal(net, await Market.TotalsAsync(postgres));
                Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(postgres,
                    "SELECT (SELECT count(*) FROM balances WHERE available < 0 OR locked < 0) + (SELECT count(*) FROM asset_transactions WHERE balance_after < 0)"));
                await Market.AssertBooksUncrossedAsync(postgres);
                await Market.AssertReconciledAsync(services);
            }

            await Market.AssertFillsMatchTradesAsync(postgres);
            var trades = await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM cash_market_trades");
            output.WriteLine($"{Steps} steps: {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"))}; trades={trades}");
            Assert.True(trades > 100, $"only {trades} trades: the generator does not cross enough");
            Assert.True(counts.GetValueOrDefault("cancel") > 50);
            Assert.True(counts.GetValueOrDefault("ladder") > 50, "too few ladder replaces succeed for the property to mean much");
        }
        finally
        {
            await TestDatabase.DropAsync(postgres);
        }
    }

    private static async Task<string> StepAsync(
        IServiceProvider services, string postgres, Random random, List<Guid> makers, List<(Guid UserId, Guid EntityId)> traders, Dictionary<string, decimal> net)
    {
        var roll = random.Next(100);
        var ct = Certificates[random.Next(2)];
        // Prices cluster around 100.00 so that about half of the orders cross.
        var price = 95m + (random.Next(0, 1001) / 100m);
        var quantity = (long)random.Next(1, 40);
        try
        {
            switch (roll)
            {
                case < 6:
                {
                    var trader = traders[random.Next(traders.Count)];
                    var asset = Asset.All[random.Next(3)].Value;
                    var amount = asset == "EUR" ? random.Next(1, 500_000) / 100m : random.Next(1, 50);
                    var withdraw = random.Next(2) == 0;
                    await Market.WithAsync<LedgerMovementService, object>(services, async s => await s.FundAsync(
                        trader.UserId, asset, amount, withdraw ? TransactionTypes.Withdrawal : TransactionTypes.Deposit));
                    net[asset] += withdraw ? -amount : amount;
                    return withdraw ? "withdraw" : "deposit";
                }

                case < 10:
                {
                    var mm = makers[random.Next(makers.Count)];
                    var withdraw = random.Next(2) == 0;
                    var amount = (decimal)random.Next(1, 60);
                    await Market.WithAsync<LedgerMovementService, object>(services, async s => await s.TransactAsync(
                        mm, new LedgerTransactionRequest(ct, withdraw ? TransactionTypes.Withdrawal : TransactionTypes.Deposit, amount, null)));
                    net[ct] += withdraw ? -amount : amount;
                    return withdraw ? "withdraw" : "deposit";
                }

                case < 18:
                {
                    var mm = makers[random.Next(makers.Count)];
                    await Market.WithAsync<OrderService, object>(services, async s =>
                        await s.PlaceMarketMakerOrderAsync(mm, Market.Order(ct, OrderSide.Sell.Value, price, quantity)));
                    return "mm_sell";
                }

                case < 24:
                    return await LadderStepAsync(services, postgres, random, makers[random.Next(makers.Count)], ct, price);

                case < 75:
                {
                    var trader = traders[random.Next(traders.Count)];
                    var side = random.Next(2) == 0 ? OrderSide.Buy.Value : OrderSide.Sell.Value;
                    await Market.WithAsync<OrderService, object>(services, async s =>
                        await s.PlaceClientOrderAsync(trader.UserId, Market.Order(ct, side, price, quantity)));
                    return side == OrderSide.Buy.Value ? "buy" : "sell";
                }

                default:
                {
                    var open = await TestDatabase.ScalarAsync<Guid[]>(postgres,
                        "SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM orders WHERE status IN ('OPEN', 'PARTIALLY_FILLED')");
                    if (open.Length == 0)
                    {
                        return "cancel_none";
                    }

                    var orderId = open[random.Next(open.Length)];
                    var holder = await TestDatabase.ScalarAsync<Guid>(postgres, "SELECT holder_id FROM orders WHERE id = @p0", orderId);
                    var trader = traders.FirstOrDefault(t => t.EntityId == holder);
                    await Market.WithAsync<OrderService, object>(services, async s => trader.UserId != Guid.Empty
                        ? await s.CancelClientOrderAsync(trader.UserId, orderId)
                        : await s.CancelMarketMakerOrderAsync(orderId));
                    return "cancel";
                }
            }
        }
        catch (DomainException ex) when (Market.IsExpectedRejection(ex))
        {
            Assert.NotNull(ex.TicketId);
            return "rejected";
        }
    }

    /// <summary>
    /// A ladder replace (issue 17), one time in ten a pull: 0–4 levels a side around <paramref name="mid"/>, often crossing
    /// others' orders. Afterwards the MM's open orders on the instrument are exactly the new ladder's unfilled levels.
    /// </summary>
    private static async Task<string> LadderStepAsync(IServiceProvider services, string postgres, Random random, Guid mm, string ct, decimal mid)
    {
        var certificate = CertificateType.Parse(ct);
        var pull = random.Next(10) == 0;
        var bids = Enumerable.Range(0, random.Next(0, 5)).Select(i => ((decimal?)(mid - 0.05m - i * 0.25m), (decimal?)random.Next(1, 30))).ToList();
        var asks = Enumerable.Range(0, random.Next(0, 5)).Select(i => ((decimal?)(mid + 0.05m + i * 0.25m), (decimal?)random.Next(1, 30))).ToList();
        var command = pull ? ReplaceQuotes.Pull(new MarketMakerId(mm), certificate) : ReplaceQuotes.Parse(new MarketMakerId(mm), certificate, bids, asks);
        var result = await Market.WithAsync<QuoteService, QuoteReplaceResult>(services, async s => (await s.ReplaceAsync(command)).Value);
        var open = await TestDatabase.ScalarAsync<Guid[]>(postgres,
            "SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM orders WHERE market_maker_id = @p0 AND certificate_type = @p1 AND status IN ('OPEN', 'PARTIALLY_FILLED')",
            mm, ct);
        Assert.Equal(result.Orders.Where(o => o.Status is "OPEN" or "PARTIALLY_FILLED").Select(o => o.Id).Order(), open);
        return pull ? "pull" : "ladder";
    }
}
