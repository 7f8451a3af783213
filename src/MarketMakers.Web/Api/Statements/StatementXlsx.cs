using ClosedXML.Excel;
using MarketMakers.Core.Statements;

namespace MarketMakers.Web.Api.Statements;

/// <summary>The statement as an Excel workbook: the same lines as the CSV (opening, movements, closing), with real
/// numbers and times so a reconciler can sum the amount column.</summary>
public static class StatementXlsx
{
    public static byte[] Write(Statement s)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add($"Statement {s.Asset}");
        string[] header = ["at", "transaction_type", "amount", "balance_after", "ticket_id"];
        for (var c = 0; c < header.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = header[c];
        }

        sheet.Row(1).Style.Font.Bold = true;
        var row = 2;
        Line(sheet, row++, s.From?.UtcDateTime, "OPENING", null, s.Opening, null);
        foreach (var m in s.Movements)
        {
            Line(sheet, row++, m.At.UtcDateTime, m.TransactionType, m.Amount, m.BalanceAfter, m.TicketId);
        }

        Line(sheet, row, s.To.UtcDateTime, "CLOSING", null, s.Closing, null);
        sheet.Column(1).Style.DateFormat.Format = "yyyy-mm-dd hh:mm:ss";
        sheet.Columns(3, 4).Style.NumberFormat.Format = "#,##0.00";
        // Fixed widths: AdjustToContents measures fonts through System.Drawing, which Linux hosts do not have.
        foreach (var (column, width) in new[] { (1, 20.0), (2, 22.0), (3, 16.0), (4, 16.0), (5, 18.0) })
        {
            sheet.Column(column).Width = width;
        }
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    private static void Line(IXLWorksheet sheet, int row, DateTime? at, string type, decimal? amount, decimal balance, string? ticket)
    {
        if (at is { } time)
        {
            sheet.Cell(row, 1).Value = time;
        }

        sheet.Cell(row, 2).Value = type;
        if (amount is { } a)
        {
            sheet.Cell(row, 3).Value = a;
        }

        sheet.Cell(row, 4).Value = balance;
        if (ticket is not null)
        {
            sheet.Cell(row, 5).Value = ticket;
        }
    }
}
