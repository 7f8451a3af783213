namespace MarketMakers.Bench;

/// <summary>One measurement window: the load generator's figures and the CPU the app and PostgreSQL spent in it.</summary>
internal sealed record ApiLoadMeasurement(LoadWindow Load, double AppMs, double PgMs, int PgLost, double AllPgMs, long UnsealedAtEnd, string LoadAverage)
{
    public bool Audited => Load.Label == "on";

    public string Line() =>
        $"window auditing {Load.Label,-3}: {Load.Orders} orders in {Load.Seconds:F1} s = {Load.Rate:F0}/s, p50 {Load.P50:F1} ms, p99 {Load.P99:F1} ms, " +
        $"failed {Load.Failed}; CPU ms/order app {Per(AppMs):F3}, PG backends {Per(PgMs):F3}{(PgLost > 0 ? $" ({PgLost} backends ended, uncounted)" : "")}, " +
        $"all postgres {Per(AllPgMs):F3}; unsealed at end {UnsealedAtEnd}; load average {LoadAverage}";

    public double Per(double ms) => Load.Orders > 0 ? ms / Load.Orders : 0;
}

internal static class ApiLoadReport
{
    public static void Print(List<ApiLoadMeasurement> windows, LoadWindow on, LoadWindow off, long appLines, long trades)
    {
        double PerOrder(bool audited, Func<ApiLoadMeasurement, double> ms)
        {
            var w = windows.Where(x => x.Audited == audited).ToList();
            var orders = w.Sum(x => x.Load.Orders);
            return orders > 0 ? w.Sum(ms) / orders : 0;
        }

        var (appOn, appOff) = (PerOrder(true, w => w.AppMs), PerOrder(false, w => w.AppMs));
        var (pgOn, pgOff) = (PerOrder(true, w => w.PgMs), PerOrder(false, w => w.PgMs));
        Console.WriteLine();
        Console.WriteLine("| auditing | orders/s | p50 ms | p99 ms | app CPU ms/order | PostgreSQL CPU ms/order | failed |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Console.WriteLine($"| on | {on.Rate:F0} | {on.P50:F1} | {on.P99:F1} | {appOn:F3} | {pgOn:F3} | {on.Failed} |");
        Console.WriteLine($"| off | {off.Rate:F0} | {off.P50:F1} | {off.P99:F1} | {appOff:F3} | {pgOff:F3} | {off.Failed} |");
        Console.WriteLine($"| audit CPU per order (on - off) | | | | {appOn - appOff:F3} | {pgOn - pgOff:F3} | total {appOn - appOff + pgOn - pgOff:F3} ms |");
        Console.WriteLine();
        Console.WriteLine($"trades in the database: {trades}; app console lines during the run: {appLines}");
        Console.WriteLine($"targets at c=32, auditing on: >= 1,500 orders/s: {Machine.Verdict(on.Rate >= 1500)}; p99 <= 50 ms: {Machine.Verdict(on.P99 <= 50)}; load average at end {Machine.LoadAverage()}");
    }
}
