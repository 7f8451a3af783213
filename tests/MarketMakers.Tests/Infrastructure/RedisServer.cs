using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MarketMakers.Tests.Infrastructure;

/// <summary>
/// A private, disposable redis-server on a loopback port, for tests that flush, stop or restart Redis
/// without disturbing the shared instance other tests use.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = new RedisServer(port);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server",
            $"--bind 127.0.0.1 --port {Port} --save \"\" --appendonly no --dir {Path.GetTempPath()}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        await WaitUntilAsync(async () => await PingAsync(), "redis-server did not start");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        await WaitUntilAsync(async () => !await PingAsync(), "redis-server did not stop");
    }

    public async Task<string> CommandAsync(string command)
    {
        var psi = new ProcessStartInfo("redis-cli", $"-h 127.0.0.1 -p {Port} {command}") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var cli = Process.Start(psi)!;
        var output = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return output.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // Polls a condition that a child process settles; bounded, so a broken server fails the test instead of hanging.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(failure);
            }

            await Task.Delay(20);
        }
    }
}
