using System.Globalization;
using MarketMakers.Core.Audit;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace MarketMakers.Web.Api.Logging;

/// <summary>
/// A <see cref="TicketFilter"/> as a URL query, both ways, with the API's names. Parsing delegates to
/// <see cref="TicketFilterBinder"/> so the page, the page export and the API share one set of rules; the only
/// addition is <c>mm_only</c>, the MM Actions view, which the API expresses as its own endpoint instead.
/// </summary>
public static class TicketFilterQuery
{
    public const string MarketMakerOnly = "mm_only";

    public static TicketFilter Parse(IQueryCollection query) => TicketFilterBinder.Parse(query) with
    {
        MarketMakerActionsOnly = string.Equals(query[MarketMakerOnly].ToString(), "true", StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>Parses the query part of a URI or URL (with or without the leading <c>?</c>).</summary>
    public static TicketFilter Parse(string queryString) => Parse(new QueryCollection(QueryHelpers.ParseQuery(queryString)));

    /// <summary>The filter as <c>name=value</c> pairs, empty filters left out, in a stable order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ToPairs(TicketFilter filter)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                pairs.Add(new(name, value));
            }
        }

        Add("date_from", filter.DateFrom?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add("date_to", filter.DateTo?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        foreach (var type in filter.ActionTypes)
        {
            Add("action_type", type);
        }

        Add("user_id", filter.UserId?.ToString());
        Add("market_maker_id", filter.MarketMakerId?.ToString());
        Add("status", filter.Status);
        Add("entity_type", filter.EntityType);
        Add("entity_id", filter.EntityId);
        Add("search", filter.Search);
        foreach (var tag in filter.Tags)
        {
            Add("tags", tag);
        }

        Add("as_of", filter.AsOf);
        Add(MarketMakerOnly, filter.MarketMakerActionsOnly ? "true" : null);
        return pairs;
    }

    /// <summary>The filter as a query string with its leading <c>?</c>, or "" when nothing is filtered.</summary>
    public static string ToQueryString(TicketFilter filter, params KeyValuePair<string, string>[] extra)
    {
        var builder = new QueryBuilder(extra.Concat(ToPairs(filter)));
        return builder.ToQueryString().Value ?? "";
    }
}
