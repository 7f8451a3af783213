using MarketMakers.Bench;

// Scenario registry: add a scenario here and it is selectable by name and included in "all".
var scenarios = new Dictionary<string, Func<int>>(StringComparer.OrdinalIgnoreCase)
{
    ["matching"] = MatchingScenario.Run,
    ["placement"] = PlacementScenario.Run,
    ["placement-limits"] = PlacementLimitsScenario.Run,
    ["balance"] = BalanceScenario.Run,
    ["asof"] = AsOfScenario.Run,
    ["sampler"] = SamplerScenario.Run,
    ["ladder"] = LadderScenario.Run,
    ["search"] = SearchScenario.Run,
    ["sealing"] = SealingScenario.Run,
    ["export"] = ExportScenario.Run,
    ["livebook"] = LiveBookScenario.Run,
    ["livebook-browser"] = LiveBookBrowserScenario.Run,
    ["api-load"] = ApiLoadScenario.Run,
};

string name = args.Length > 0 ? args[0] : "all";
if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
{
    int rc = 0;
    foreach ((string key, Func<int> run) in scenarios)
    {
        Console.WriteLine($"== {key} ==");
        rc |= run();
    }

    return rc;
}

if (!scenarios.TryGetValue(name, out Func<int>? scenario))
{
    Console.Error.WriteLine($"Unknown scenario '{name}'. Available: all, {string.Join(", ", scenarios.Keys)}");
    return 2;
}

return scenario();
