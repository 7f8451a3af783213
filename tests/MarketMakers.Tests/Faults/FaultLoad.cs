using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace MarketMakers.Tests.Faults;

/// <summary>One API call made under load: when it started and ended (load clock), its status and body.</summary>
public sealed record LoadOutcome(int Phase, TimeSpan Started, TimeSpan Ended, HttpStatusCode? Status, string Body, string? Error)
{
    public bool Ok => Status == HttpStatusCode.OK;

    public string? TicketId => TryJson()?.TryGetProperty("ticket_id", out var t) == true && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    public JsonElement? TryJson()
    {
        try
        {
            return JsonDocument.Parse(Body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => $"phase {Phase} {(int?)Status} {Error} {(Body.Length > 300 ? Body[..300] : Body)}";
}

/// <summary>
/// Concurrent workers calling the API until stopped, each call tagged with the phase the test was in when it
/// started. Bounded: every wait polls a condition against a deadline, so a hung app fails the test instead of hanging it.
/// </summary>
public sealed class FaultLoad : IAsyncDisposable
{
    private readonly ConcurrentQueue<LoadOutcome> _outcomes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Task> _workers = [];
    private int _phase;

    public FaultLoad(int workers, Func<int, CancellationToken, Task<HttpResponseMessage>> call)
    {
        for (var w = 0; w < workers; w++)
        {
            var worker = w;
            _workers.Add(Task.Run(async () =>
            {
                var i = 0;
                while (!_stop.IsCancellationRequested)
                {
                    var phase = Volatile.Read(ref _phase);
                    var started = _clock.Elapsed;
                    try
                    {
                        using var response = await call(worker * 1_000_000 + i++, CancellationToken.None);
                        var body = await response.Content.ReadAsStringAsync();
                        _outcomes.Enqueue(new LoadOutcome(phase, started, _clock.Elapsed, response.StatusCode, body, null));
                    }
                    catch (Exception ex)
                    {
                        _outcomes.Enqueue(new LoadOutcome(phase, started, _clock.Elapsed, null, "", ex.GetType().Name + ": " + ex.Message));
                    }
                }
            }));
        }
    }

    public int Phase
    {
        get => Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, value);
    }

    public IReadOnlyList<LoadOutcome> Outcomes => _outcomes.ToArray();

    public int Count(Func<LoadOutcome, bool> predicate) => _outcomes.Count(predicate);

    /// <summary>Waits until at least <paramref name="count"/> calls that started in the current phase succeeded.</summary>
    public Task WaitForSuccessesAsync(int count, TimeSpan timeout)
    {
        var phase = Phase;
        return Poll.UntilAsync(() => Task.FromResult(Count(o => o.Phase == phase && o.Ok) >= count), timeout,
            () => $"fewer than {count} successes in phase {phase}: " + string.Join(" | ", Outcomes.Where(o => o.Phase == phase).TakeLast(5)));
    }

    public async Task<IReadOnlyList<LoadOutcome>> StopAsync(TimeSpan timeout)
    {
        await _stop.CancelAsync();
        var all = Task.WhenAll(_workers);
        if (await Task.WhenAny(all, Task.Delay(timeout)) != all)
        {
            throw new TimeoutException($"load workers did not finish within {timeout} (a request hung)");
        }

        return Outcomes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(Task.WhenAll(_workers), Task.Delay(TimeSpan.FromSeconds(30)));
        _stop.Dispose();
    }
}

/// <summary>Polls a condition until it holds or a deadline passes.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            bool ok;
            try
            {
                ok = await condition();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                ok = false;
            }

            if (ok)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within {timeout}: {failure()}");
            }

            await Task.Delay(50);
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure) =>
        UntilAsync(condition, timeout, () => failure);
}
