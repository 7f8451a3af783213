using CsvHelper;

namespace MarketMakers.Web.Api;

/// <summary>
/// The options of every CSV export (tickets, statements): RFC 4180 through CsvHelper, with its formula-injection
/// escaping on. A text cell that starts with <c>= + - @</c>, a tab or a CR reaches the spreadsheet as <c>'=…</c>,
/// quoted, so it shows as text and never runs. Numbers are written as numbers and not escaped (CsvHelper applies the
/// escaping to text only): <c>-100.00</c> stays a number a reconciler can sum, and a number cannot be a formula.
/// Anything that is text, even when it looks numeric (<c>-1+1</c>), is escaped.
/// </summary>
public static class CsvExport
{
    public static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };
}
