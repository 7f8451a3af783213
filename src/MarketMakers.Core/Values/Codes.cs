namespace MarketMakers.Core.Values;

/// <summary>
/// A closed set of upper-case codes (certificate types, assets, sides, statuses). Each value type keeps one
/// instance per code, so equality is by code and an unknown code can never be constructed.
/// </summary>
public abstract record Code(string Value)
{
    public sealed override string ToString() => Value;

    /// <summary>The instance of <paramref name="all"/> whose code matches (trimmed, case-insensitive), or null.</summary>
    protected static T? Find<T>(IReadOnlyList<T> all, string? value)
        where T : Code
    {
        var trimmed = value?.Trim();
        foreach (var code in all)
        {
            if (string.Equals(code.Value, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return code;
            }
        }

        return null;
    }
}
