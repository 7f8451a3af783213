namespace MarketMakers.Core.Persistence;

/// <summary>Free-text search terms as ILIKE patterns: the user's %, _ and \ match themselves, not anything.</summary>
public static class LikePattern
{
    public static string Containing(string search) =>
        "%" + search.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
}
