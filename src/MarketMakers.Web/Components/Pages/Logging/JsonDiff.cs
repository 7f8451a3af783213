using System.Text.Json;

namespace MarketMakers.Web.Components.Pages.Logging;

public enum DiffKind
{
    Unchanged,
    Added,
    Removed,
    Changed,
}

/// <summary>One leaf of a before/after comparison, named by its JSON path (<c>CEA.available</c>, <c>items[0]</c>).</summary>
public sealed record DiffEntry(string Path, DiffKind Kind, string? Before, string? After);

/// <summary>
/// Compares two JSON documents leaf by leaf. Objects and arrays are walked, so a nested change is reported at
/// its own path; a value that changes type (object to number) is one change at the parent's path.
/// </summary>
public static class JsonDiff
{
    public static IReadOnlyList<DiffEntry> Compare(JsonElement? before, JsonElement? after)
    {
        var left = new Dictionary<string, string>(StringComparer.Ordinal);
        var right = new Dictionary<string, string>(StringComparer.Ordinal);
        if (before is { } b)
        {
            Flatten(b, "", left);
        }

        if (after is { } a)
        {
            Flatten(a, "", right);
        }

        var paths = left.Keys.Union(right.Keys).OrderBy(p => p, StringComparer.Ordinal);
        return paths.Select(p => (left.TryGetValue(p, out var l), right.TryGetValue(p, out var r)) switch
        {
            (true, false) => new DiffEntry(p, DiffKind.Removed, l, null),
            (false, true) => new DiffEntry(p, DiffKind.Added, null, r),
            _ => new DiffEntry(p, l == r ? DiffKind.Unchanged : DiffKind.Changed, l, r),
        }).ToList();
    }

    private static void Flatten(JsonElement e, string path, Dictionary<string, string> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object when e.EnumerateObject().Any():
                foreach (var p in e.EnumerateObject())
                {
                    Flatten(p.Value, path.Length == 0 ? p.Name : path + "." + p.Name, into);
                }

                break;
            case JsonValueKind.Array when e.GetArrayLength() > 0:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    Flatten(item, $"{path}[{i++}]", into);
                }

                break;
            default:
                into[path.Length == 0 ? "(value)" : path] = e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
                break;
        }
    }

    /// <summary>Indented JSON for display.</summary>
    public static string Pretty(JsonElement? e) =>
        e is { } value ? JsonSerializer.Serialize(value, Indented) : "";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
