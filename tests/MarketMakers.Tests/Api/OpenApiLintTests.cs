using System.Diagnostics;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MarketMakers.Tests.Api;

/// <summary>
/// The served document passes <c>redocly lint</c> with Redocly's recommended rules (tools/openapi/redocly.yaml), the
/// check an integrator's pipeline would run. Errors fail; the remaining warnings are printed.
/// </summary>
public sealed class OpenApiLintTests(AppFactory app, ITestOutputHelper output) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Redocly_lint_with_the_recommended_rules_finds_no_error()
    {
        var root = OpenApiDocument.RepositoryRoot();
        var tools = Path.Combine(root, "tools", "openapi");
        var redocly = Path.Combine(tools, "node_modules", ".bin", "redocly");
        // Idempotent, and a no-op when ./test.sh already installed the pinned version.
        await RunAsync("bash", [Path.Combine(root, "scripts", "openapi-tools.sh")], root, expectSuccess: true);
        var file = Path.Combine(Path.GetTempPath(), $"marketmakers-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await OpenApiDocument.TextAsync(app));
        try
        {
            var (exit, stdout, stderr) = await RunAsync(redocly, ["lint", file, "--config", Path.Combine(tools, "redocly.yaml"), "--format=json", "--max-problems=1000"], tools, expectSuccess: false);

            using var report = JsonDocument.Parse(stdout);
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => (Rule: p.GetProperty("ruleId").GetString()!, Severity: p.GetProperty("severity").GetString()!, Message: p.GetProperty("message").GetString()!,
                    Where: p.GetProperty("location")[0].GetProperty("pointer").GetString()!))
                .ToList();
            foreach (var group in problems.Where(p => p.Severity != "error").GroupBy(p => p.Rule))
            {
                output.WriteLine($"warning {group.Key}: {group.Count()} ({group.First().Message})");
            }

            var errors = problems.Where(p => p.Severity == "error").Select(p => $"{p.Rule} at {p.Where}: {p.Message}").ToList();
            Assert.True(errors.Count == 0, $"redocly lint: {errors.Count} errors\n{string.Join("\n", errors)}\n{stderr}");
            Assert.Equal(0, exit);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, string[] args, string directory, bool expectSuccess)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No network here: no telemetry, no update check.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (expectSuccess && process.ExitCode != 0)
        {
            Assert.Fail($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
