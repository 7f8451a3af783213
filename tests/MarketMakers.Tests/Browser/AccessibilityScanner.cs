using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MarketMakers.Tests.Browser;

/// <summary>
/// One signed-in page walked through many views: each <see cref="ScanAsync"/> runs axe-core (WCAG 2.0/2.1 A and AA)
/// on what the page shows now, and every browser console error and 4xx/5xx response is charged to the view being
/// visited. Findings are collected, not thrown, so one run lists everything a reader has to fix.
/// </summary>
public sealed class AccessibilityScanner
{
    private static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>Impacts the gate refuses; minor and moderate findings are printed but do not fail.</summary>
    private static readonly HashSet<string> Blocking = ["serious", "critical"];

    /// <summary>
    /// Findings that come from MudBlazor's own markup, which no parameter of ours reaches: exactly one rule on exactly
    /// one selector each, with the reason. Everything else must be fixed in our components.
    /// </summary>
    private static readonly (string Rule, string Selector, string Why)[] Exempt = [];

    private readonly List<string> _failures = [];
    private readonly List<string> _notes = [];
    private string _view = "(before the first view)";

    public AccessibilityScanner(IPage page, string role)
    {
        Page = page;
        Role = role;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _failures.Add($"[{Role}] {_view}: console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => _failures.Add($"[{Role}] {_view}: uncaught page error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                _failures.Add($"[{Role}] {_view}: HTTP {response.Status} for {response.Request.Method} {response.Url}");
            }
        };
    }

    public IPage Page { get; }

    public string Role { get; }

    public int Scans { get; private set; }

    /// <summary>Names the view whose console errors and responses come next (call before navigating to it).</summary>
    public void Visit(string view) => _view = view;

    /// <summary>
    /// Runs axe on the page as it is now (or only inside <paramref name="within"/>, e.g. an open dialog whose page was
    /// scanned already) and records every serious or critical violation under <paramref name="view"/>.
    /// </summary>
    public async Task ScanAsync(string view, ILocator? within = null)
    {
        _view = view;
        if (within is null)
        {
            // Blazor's HeadOutlet writes the page's <title> after its render: scan the page a user sees, titled.
            await Microsoft.Playwright.Assertions.Expect(Page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(@"\S"));
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = within is null ? await Page.RunAxe(Options) : await within.RunAxe(Options);
        Scans++;
        _notes.Add($"scan {Scans} '{view}' took {started.ElapsedMilliseconds} ms");
        foreach (var violation in result.Violations)
        {
            var nodes = violation.Nodes.Where(n => !IsExempt(violation.Id, n)).ToList();
            if (nodes.Count == 0)
            {
                continue;
            }

            var blocking = Blocking.Contains(violation.Impact ?? "");
            var text = new StringBuilder($"[{Role}] {view}: {violation.Id} ({violation.Impact}) {violation.Help} <{violation.HelpUrl}>");
            foreach (var node in nodes.Take(40))
            {
                text.Append("\n      at ").Append(node.Target).Append(await NearestTestIdAsync(node)).Append("  ").Append(Trim(node.Html));
                var why = (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message).Distinct();
                text.Append("\n         ").Append(string.Join(" / ", why));
            }

            if (nodes.Count > 40)
            {
                text.Append($"\n      … and {nodes.Count - 40} more");
            }

            (blocking ? _failures : _notes).Add(text.ToString());
        }
    }

    /// <summary>Runs a walk-through; a step that cannot be done (a control missing, a wait timing out) is one more failure, reported with the findings so far.</summary>
    public async Task WalkAsync(Func<Task> walk, ITestOutputHelper output)
    {
        try
        {
            await walk();
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            _failures.Add($"[{Role}] {_view}: the walk-through stopped here: {ex.Message}");
        }

        AssertClean(output);
    }

    /// <summary>Fails with every finding of this role, one per paragraph; moderate/minor ones go to the test output only.</summary>
    public void AssertClean(ITestOutputHelper output)
    {
        output.WriteLine($"[{Role}] {Scans} axe scans.");
        foreach (var note in _notes)
        {
            output.WriteLine("not blocking: " + note);
        }

        Assert.True(Scans > 0, "No view was scanned.");
        Assert.True(_failures.Count == 0,
            $"{_failures.Count} accessibility/page-hygiene failure(s):\n\n" + string.Join("\n\n", _failures));
    }

    private static bool IsExempt(string rule, AxeResultNode node) =>
        Exempt.Any(e => e.Rule == rule && node.Target.ToString() == e.Selector);

    /// <summary>axe's selectors are often MudBlazor classes; the nearest data-testid says which of our components it is.</summary>
    private async Task<string> NearestTestIdAsync(AxeResultNode node)
    {
        var id = await Page.EvaluateAsync<string?>(
            "s => { try { return document.querySelector(s)?.closest('[data-testid]')?.getAttribute('data-testid') ?? null; } catch { return null; } }",
            node.Target.ToString());
        return id is null ? "" : $" (in [data-testid={id}])";
    }

    private static string Trim(string html) => html.Length <= 160 ? html : html[..160] + "…";
}
