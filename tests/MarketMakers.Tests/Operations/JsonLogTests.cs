using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MarketMakers.Tests.Faults;

namespace MarketMakers.Tests.Operations;

/// <summary>
/// Issue 18: with <c>Logging__Console__FormatterName=json</c> the console log is one JSON object a line, and a
/// request's lines carry its trace id, the same one the caller's <c>traceparent</c> started, so logs join traces.
/// </summary>
[Collection(ConsoleCapture.Name)]
public sealed class JsonLogTests
{
    [Fact]
    public async Task Json_console_lines_carry_the_trace_id_of_the_request_that_logged_them()
    {
        var captured = new CapturingWriter();
        var original = Console.Out;
        OperationsAppFactory app;
        HttpClient client;
        // The console logger takes Console.Out when the host is built; put it back at once.
        Console.SetOut(captured);
        try
        {
            app = new OperationsAppFactory(new Dictionary<string, string?>
            {
                ["Logging:Console:FormatterName"] = "json",
                ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            });
            await app.InitializeAsync();
            client = app.CreateApiClient();
        }
        finally
        {
            Console.SetOut(original);
        }

        await using (app)
        using (client)
        {
            var traceId = ActivityTraceId.CreateRandom().ToHexString();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            (await client.SendAsync(request)).EnsureSuccessStatusCode();

            JsonElement? line = null;
            await Poll.UntilAsync(() =>
            {
                line = captured.Lines().Where(l => l.StartsWith('{') && l.Contains(traceId, StringComparison.Ordinal))
                    .Select(l => (JsonElement?)JsonDocument.Parse(l).RootElement).FirstOrDefault();
                return Task.FromResult(line is not null);
            }, TimeSpan.FromSeconds(20), () => "no JSON log line with the request's trace id:\n" + string.Join('\n', captured.Lines().Take(20)));

            var entry = line!.Value;
            Assert.Equal("Microsoft.AspNetCore.Hosting.Diagnostics", entry.GetProperty("Category").GetString());
            Assert.Contains("/health/live", entry.GetProperty("Message").GetString());
            Assert.Contains(entry.GetProperty("Scopes").EnumerateArray(),
                s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var t) && t.GetString() == traceId);
            Assert.True(entry.TryGetProperty("Timestamp", out _), "a JSON line carries its timestamp");
        }
    }

    private sealed class CapturingWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text) { _text.Append(value); }
        }

        public override void Write(string? value)
        {
            lock (_text) { _text.Append(value); }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_text) { _text.Append(buffer, index, count); }
        }

        public IReadOnlyList<string> Lines()
        {
            lock (_text) { return _text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); }
        }
    }
}

/// <summary>Tests that swap <see cref="Console.Out"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCapture
{
    public const string Name = "console capture";
}
