using CsvHelper;
using MarketMakers.Core.Statements;

namespace MarketMakers.Web.Api.Statements;

/// <summary>
/// The statement as CSV: an opening line, one line per movement, a closing line (same figures as the JSON). Amounts and
/// times are written as values, so a negative amount stays a number; text cells are escaped (<see cref="CsvExport"/>).
/// </summary>
public static class StatementCsv
{
    private static readonly string[] Header = ["at", "transaction_type", "amount", "balance_after", "ticket_id"];

    public static byte[] Write(Statement s)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, CsvExport.Options, leaveOpen: true))
        {
            csv.WriteHeader(Header);
            Line(csv, s.From?.UtcDateTime, "OPENING", null, s.Opening, null);
            foreach (var m in s.Movements)
            {
                Line(csv, m.At.UtcDateTime, m.TransactionType, m.Amount, m.BalanceAfter, m.TicketId);
            }

            Line(csv, s.To.UtcDateTime, "CLOSING", null, s.Closing, null);
        }

        return buffer.ToArray();
    }

    private static void Line(CsvWriter csv, DateTime? at, string type, decimal? amount, decimal balance, string? ticket)
    {
        csv.WriteField(at, default);
        csv.WriteField(type);
        csv.WriteField(amount, default);
        csv.WriteField(balance, default);
        csv.WriteField(ticket);
        csv.EndRecord();
    }
}
