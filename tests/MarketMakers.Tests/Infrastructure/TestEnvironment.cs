namespace MarketMakers.Tests.Infrastructure;

/// <summary>Where the servers that ./test.sh started live. Defaults match scripts/services.sh.</summary>
public static class TestEnvironment
{
    public static string AdminPostgres =>
        Env("MM_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    public static string Redis => Env("MM_TEST_REDIS") ?? "127.0.0.1:56379";

    public static string Chromium => Env("MM_TEST_CHROMIUM") ?? "/usr/bin/chromium";

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Screenshots and downloads land here (git-ignored), so docs and people can look at them.</summary>
    public static string OutputDirectory(string kind)
    {
        var dir = Path.Combine(RepoRoot, "TestResults", kind);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MarketMakers.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
