using System.Diagnostics;
using MarketMakers.Core.Audit;
using MarketMakers.Web.Api.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Bench;

/// <summary>
/// Issue 6, row 7: CSV export of 100k tickets through the endpoint's own code — TicketCsv.Export (the IResult that
/// GET /api/v1/admin/logging/tickets/export returns) executed against an HttpContext whose body counts bytes.
/// </summary>
internal static class ExportScenario
{
    private const int Tickets = 100_000;
    private const int Runs = 3;

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        await using var db = await BenchDatabase.CreateAsync("export");
        await using var services = db.BuildServices();
        var generated = await TicketGenerator.InsertAsync(db, Tickets);
        Machine.PrintHeader($"workload: {Tickets:N0} generated tickets ({generated.TotalSeconds:F0} s); {Runs} full exports, no filter");
        var total = await db.ScalarAsync<long>("SELECT count(*) FROM ticket_logs"); // the generated ones plus the seed's
        var queries = services.GetRequiredService<TicketQueries>();
        await using var http = new ServiceCollection().AddLogging().BuildServiceProvider();

        var seconds = new List<double>();
        long bytes = 0, lines = 0;
        for (int i = 0; i < Runs; i++)
        {
            var body = new CountingStream();
            var context = new DefaultHttpContext { RequestServices = http };
            context.Response.Body = body;
            var start = Stopwatch.GetTimestamp();
            await TicketCsv.Export(queries, new TicketFilter()).ExecuteAsync(context);
            seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            bytes = body.Bytes;
            lines = body.Lines;
        }

        var worst = seconds.Max();
        Console.WriteLine();
        Console.WriteLine("| metric | value | target |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| export of {Tickets:N0} tickets, runs (s) | {string.Join(" / ", seconds.Select(s => s.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))} | <= 10 s |");
        Console.WriteLine($"| slowest run / rows per s | {worst:F2} s / {Tickets / worst:N0} rows/s | |");
        Console.WriteLine($"| CSV size / lines (incl. header; {total:N0} tickets in the database) | {bytes / 1024.0 / 1024.0:F1} MiB / {lines:N0} | |");
        Console.WriteLine($"| load average (1/5/15 min) at end | {Machine.LoadAverage()} | |");
        Console.WriteLine();
        Console.WriteLine($"target export <= 10 s (slowest of {Runs}): {Machine.Verdict(worst <= 10)}");
        return lines == total + 1 ? 0 : 1;
    }

    /// <summary>A response body that only counts bytes and newlines (CSV values with newlines are quoted JSON, which has none).</summary>
    private sealed class CountingStream : Stream
    {
        public long Bytes { get; private set; }

        public long Lines { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Bytes;

        public override long Position { get => Bytes; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Bytes += buffer.Length;
            Lines += buffer.Count((byte)'\n');
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }
    }
}
