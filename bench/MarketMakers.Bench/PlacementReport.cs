namespace MarketMakers.Bench;

/// <summary>The placement bench's tables: per variant and level, the targets as ratios, and the headline run's profile.</summary>
internal static class PlacementReport
{
    public static void Print(
        List<PlacementResult> results, Dictionary<int, string> roundRatios, int[] levels, long trades, long unsealed,
        (long LedgerOff, long LockedOff, long UnfilledBuys) ledger, (long Count, double Ms) ticketIds, (long Batches, long Orders) baselineBatches)
    {
        var (ledgerOff, lockedOff, unfilledBuys) = ledger;
        var (allocations, allocationMs) = ticketIds;

        Console.WriteLine();
        Console.WriteLine("| variant | concurrency | orders | orders/s | p50 ms | p99 ms | CPU µs/order: machine / this process |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Variant} | {r.Concurrency} | {r.Orders:N0} | {r.Rate:N0} | {r.P50:F1} | {r.P99:F1} | {r.MachineCpuUsPerOrder:N0} / {r.ProcessCpuUsPerOrder:N0} |");
        }

        Console.WriteLine();
        Console.WriteLine("| metric | value | target |");
        Console.WriteLine("|---|---|---|");
        foreach (int c in levels)
        {
            var on = results.Single(r => r.Concurrency == c && r.Variant == "app, auditing on");
            var raw = results.Single(r => r.Concurrency == c && r.Variant == "raw-SQL baseline");
            var off = results.Single(r => r.Concurrency == c && r.Variant == "app, auditing off");
            var headline = c == levels[^1];
            Console.WriteLine($"| c={c}: app orders/s, p50 / p99 | {on.Rate:N0}/s, {on.P50:F1} / {on.P99:F1} ms | {(headline ? ">= 1,000/s, p99 <= 50 ms" : "")} |");
            Console.WriteLine($"| c={c}: app / raw-SQL baseline | {on.Rate / raw.Rate:F2} ({on.Rate:N0} / {raw.Rate:N0}) | >= 0.5 |");
            Console.WriteLine($"| c={c}: auditing on / off | {on.Rate / off.Rate:F2} ({on.Rate:N0} / {off.Rate:N0}); by round {roundRatios[c]} | >= 0.95 |");
            Console.WriteLine($"| c={c}: machine CPU per order, auditing on / off | {on.MachineCpuUsPerOrder / Math.Max(1, off.MachineCpuUsPerOrder):F2} ({on.MachineCpuUsPerOrder:N0} / {off.MachineCpuUsPerOrder:N0} µs) | |");
        }

        Console.WriteLine($"| trades written / tickets left unsealed at end | {trades:N0} / {unsealed:N0} | |");
        Console.WriteLine($"| ledger: balances whose available != sum of their ledger rows / whose locked != open orders' locks | {ledgerOff:N0} / {lockedOff:N0} | 0 / 0 |");
        Console.WriteLine($"| client BUYs (all cross the MM ask) not FILLED | {unfilledBuys:N0} | 0 |");
        Console.WriteLine($"| load average (1/5/15 min) at end | {Machine.LoadAverage()} | |");

        var top = levels[^1];
        var h = results.Single(r => r.Concurrency == top && r.Variant == "app, auditing on");
        var hr = results.Single(r => r.Concurrency == top && r.Variant == "raw-SQL baseline");
        var ho = results.Single(r => r.Concurrency == top && r.Variant == "app, auditing off");
        Console.WriteLine();
        Console.WriteLine($"target >= 1,000 orders/s at c={top}: {Machine.Verdict(h.Rate >= 1000)}; p99 <= 50 ms: {Machine.Verdict(h.P99 <= 50)}");
        Console.WriteLine($"target app >= 0.5 x baseline (c={top}): {Machine.Verdict(h.Rate >= 0.5 * hr.Rate)}");
        Console.WriteLine($"target auditing on >= 0.95 x off (c={top}): {Machine.Verdict(h.Rate >= 0.95 * ho.Rate)}");

        // Profile of the headline run: the batches (one transaction and two PostgreSQL round trips each) and the Redis calls,
        // with auditing on and off side by side, so the round trip that auditing lengthens shows.
        int orders = h.Orders;
        var bOn = BatchListener.Instance.Summary(h.Variant);
        var bOff = BatchListener.Instance.Summary(ho.Variant);
        Console.WriteLine();
        Console.WriteLine($"profile at c={top} ({orders:N0} orders per variant):");
        Console.WriteLine("| step | auditing on | auditing off |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| order batches: count / mean orders per batch | {bOn.Batches:N0} / {bOn.MeanSize:F1} | {bOff.Batches:N0} / {bOff.MeanSize:F1} |");
        Console.WriteLine($"| batch time mean, p99 | {bOn.MeanMs:F2}, {bOn.P99Ms:F2} ms | {bOff.MeanMs:F2}, {bOff.P99Ms:F2} ms |");
        Console.WriteLine($"| of which round trip 1 (lock + reads) / round trip 2 (writes, tickets, COMMIT), mean | {bOn.ReadMs:F2} / {bOn.WriteMs:F2} ms | {bOff.ReadMs:F2} / {bOff.WriteMs:F2} ms |");
        Console.WriteLine($"| serialized ceiling = mean orders per batch x 1000 / mean batch time | {bOn.MeanSize * 1000 / Math.Max(0.001, bOn.MeanMs):N0} orders/s | {bOff.MeanSize * 1000 / Math.Max(0.001, bOff.MeanMs):N0} orders/s |");
        Console.WriteLine($"| busy share of the 2 cores (machine CPU x orders/s) | {h.MachineCpuUsPerOrder * h.Rate / 1e6 / Environment.ProcessorCount:P0} | {ho.MachineCpuUsPerOrder * ho.Rate / 1e6 / Environment.ProcessorCount:P0} |");
        Console.WriteLine($"| time after the last order until every ticket was sealed | {h.SealSeconds * 1000:N0} ms of {h.Seconds:F1} s | {ho.SealSeconds * 1000:N0} ms of {ho.Seconds:F1} s |");
        Console.WriteLine($"| PostgreSQL round trips / order: 2 per batch (the role check rides in the first) | {2.0 / Math.Max(1, bOn.MeanSize):F2} | {2.0 / Math.Max(1, bOff.MeanSize):F2} |");
        Console.WriteLine($"| Redis calls (ticket ids) / order, ms / order | {(double)allocations / orders:F2}, {allocationMs / orders:F2} | |");
        Console.WriteLine($"| raw-SQL baseline batches at c={top}: count / mean orders per batch (the same 2 round trips each) | " +
            $"{baselineBatches.Batches:N0} / {(double)baselineBatches.Orders / Math.Max(1, baselineBatches.Batches):F1} | |");
    }
}
