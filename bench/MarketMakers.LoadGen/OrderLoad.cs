using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MarketMakers.LoadGen;

/// <summary>
/// Closed-loop clients: each has its own <see cref="HttpClient"/> with a single connection (HTTP/1.1 keep-alive),
/// its own bearer token, and places the next order as soon as the last one answered. Latencies of the current
/// window are kept per client (no lock on the hot path) and merged when the window closes.
/// </summary>
internal sealed class OrderLoad : IAsyncDisposable
{
    private static readonly byte[] CrossingBody = Encoding.UTF8.GetBytes("""{"certificate_type":"EUA","side":"BUY","order_type":"LIMIT","price":"100.00","quantity":"1"}""");
    private static readonly byte[] RestingBody = Encoding.UTF8.GetBytes("""{"certificate_type":"EUA","side":"SELL","order_type":"LIMIT","price":"200.00","quantity":"1"}""");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly Client[] _clients;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private volatile int _window;
    private long _windowStart;
    private string _label = "";
    private readonly Dictionary<string, (List<double> Latencies, long Failed, double Seconds)> _byLabel = [];
    private long _errors;

    private OrderLoad(Client[] clients)
    {
        _clients = clients;
        _loops = [.. clients.Select(c => Task.Run(() => LoopAsync(c)))];
    }

    public long Errors => Interlocked.Read(ref _errors);

    public static async Task<OrderLoad> StartAsync(Uri baseUrl, string emailPattern, string password, int count)
    {
        var clients = new Client[count];
        for (var i = 0; i < count; i++)
        {
            var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = baseUrl,
                DefaultRequestVersion = HttpVersion.Version11,
                Timeout = TimeSpan.FromSeconds(60),
            };
            var email = string.Format(CultureInfo.InvariantCulture, emailPattern, i);
            using var login = await http.PostAsync("api/v1/auth/login", new StringContent(JsonSerializer.Serialize(new { email, password }), Encoding.UTF8, "application/json"));
            var text = await login.Content.ReadAsStringAsync();
            if (!login.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"sign-in of {email}: {(int)login.StatusCode} {text}");
            }

            var token = JsonDocument.Parse(text).RootElement.GetProperty("access_token").GetString()!;
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            clients[i] = new Client(http, i % 2 == 0 ? CrossingBody : RestingBody);
        }

        return new OrderLoad(clients);
    }

    public void StartWindow(string label)
    {
        _label = label;
        Interlocked.Exchange(ref _windowStart, Stopwatch.GetTimestamp());
        _window++; // odd: a window is open
    }

    public Window StopWindow()
    {
        var window = _window;
        _window++; // later answers belong to no window
        var seconds = Stopwatch.GetElapsedTime(Interlocked.Read(ref _windowStart)).TotalSeconds;
        var all = new List<double>();
        long failed = 0;
        foreach (var c in _clients)
        {
            lock (c)
            {
                if (c.Window == window)
                {
                    all.AddRange(c.Latencies);
                    failed += c.Failed;
                }
            }
        }

        var (latencies, totalFailed, totalSeconds) = _byLabel.TryGetValue(_label, out var sofar) ? sofar : ([], 0, 0);
        latencies.AddRange(all);
        _byLabel[_label] = (latencies, totalFailed + failed, totalSeconds + seconds);
        return Window.Of(_label, all, failed, seconds);
    }

    public Window Summary(string label) =>
        _byLabel.TryGetValue(label, out var s) ? Window.Of(label, s.Latencies, s.Failed, s.Seconds) : Window.Of(label, [], 0, 0);

    private async Task LoopAsync(Client c)
    {
        while (!_stop.IsCancellationRequested)
        {
            var window = _window;
            var t0 = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                using var content = new ByteArrayContent(c.Body);
                content.Headers.ContentType = Json;
                using var response = await c.Http.PostAsync("api/v1/cash-market/orders", content, _stop.Token);
                await response.Content.CopyToAsync(Stream.Null);
                ok = response.StatusCode == HttpStatusCode.OK || response.StatusCode == HttpStatusCode.Created;
                if (!ok && Interlocked.Increment(ref _errors) <= 5)
                {
                    Console.Error.WriteLine($"order answered {(int)response.StatusCode}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e)
            {
                ok = false;
                if (Interlocked.Increment(ref _errors) <= 5)
                {
                    Console.Error.WriteLine($"order failed: {e.Message}");
                }
            }

            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (window % 2 == 1 && window == _window)
            {
                lock (c)
                {
                    if (c.Window != window)
                    {
                        c.Window = window;
                        c.Latencies.Clear();
                        c.Failed = 0;
                    }

                    if (ok)
                    {
                        c.Latencies.Add(ms);
                    }
                    else
                    {
                        c.Failed++;
                    }
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        foreach (var c in _clients)
        {
            c.Http.Dispose();
        }

        _stop.Dispose();
    }

    private sealed class Client(HttpClient http, byte[] body)
    {
        public HttpClient Http { get; } = http;

        public byte[] Body { get; } = body;

        public int Window { get; set; } = -1;

        public List<double> Latencies { get; } = new(65536);

        public long Failed { get; set; }
    }
}

/// <summary>One measurement window, as the line the bench parses.</summary>
internal sealed record Window(string Label, int Orders, long Failed, double Seconds, double P50, double P99, double Max)
{
    public static Window Of(string label, List<double> latencies, long failed, double seconds)
    {
        latencies.Sort();
        return new Window(label, latencies.Count, failed, seconds, Percentile(latencies, 50), Percentile(latencies, 99), latencies.Count > 0 ? latencies[^1] : 0);
    }

    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"window label={Label} orders={Orders} failed={Failed} seconds={Seconds:F3} p50={P50:F2} p99={P99:F2} max={Max:F2}");

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
