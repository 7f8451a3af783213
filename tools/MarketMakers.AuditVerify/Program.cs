namespace MarketMakers.AuditVerify;

// A named entry point, not top-level statements: the tests reference this project next to the web app's global Program.
internal static class Program
{
    private static Task<int> Main(string[] args) => Cli.RunAsync(args, Console.Out, Console.Error);
}
