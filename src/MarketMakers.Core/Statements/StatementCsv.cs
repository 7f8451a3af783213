using System.Globalization;
using System.Text;

namespace MarketMakers.Core.Statements;

/// <summary>The statement as CSV: an opening line, one line per movement, a closing line (same figures as the JSON).</summary>
public static class StatementCsv
{
    public const string Header = "at,transaction_type,amount,balance_after,ticket_id";

    public static string Write(Statement s)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(Header);
        sb.AppendLine(string.Create(inv, $"{s.From?.UtcDateTime:O},OPENING,,{s.Opening},"));
        foreach (var m in s.Movements)
        {
            sb.AppendLine(string.Create(inv, $"{m.At.UtcDateTime:O},{m.TransactionType},{m.Amount},{m.BalanceAfter},{m.TicketId}"));
        }

        sb.AppendLine(string.Create(inv, $"{s.To.UtcDateTime:O},CLOSING,,{s.Closing},"));
        return sb.ToString();
    }
}
