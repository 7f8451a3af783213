using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CsvHelper;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Logging;

/// <summary>
/// CSV exports opened in a spreadsheet: a name, a note or a user agent typed as a formula must arrive as text
/// (<c>'=…</c>), while a negative amount stays a number.
/// </summary>
public sealed class CsvInjectionTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Formula = "=HYPERLINK(\"http://x\",\"y\")";
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    [Fact]
    public async Task A_formula_typed_as_a_name_a_note_or_a_user_agent_is_exported_as_text()
    {
        using var admin = await app.CreateAdminClientAsync();
        admin.DefaultRequestHeaders.UserAgent.Clear();
        admin.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "@SUM(1+1)*cmd|' /C calc'!A0");
        var created = await admin.PostAsJsonAsync(MmApi.Base, new { name = Formula, email = MmApi.UniqueEmail("csv"), description = "-2+3" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var mm = (await MmApi.JsonAsync(created)).GetProperty("market_maker").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await MmApi.TransactAsync(admin, mm, "EUR", "DEPOSIT", "100", notes: Formula)).StatusCode);

        var rows = ReadCsv(await admin.GetByteArrayAsync($"/api/v1/admin/logging/tickets/export?market_maker_id={mm}"));
        var userAgent = Array.IndexOf(rows[0], "user_agent");

        Assert.Equal(3, rows.Count); // the header, MM_CREATED and ASSET_DEPOSIT
        Assert.All(rows.Skip(1), r => Assert.Equal("'@SUM(1+1)*cmd|' /C calc'!A0", r[userAgent]));
        Assert.Contains(rows.Skip(1), r => r.Any(cell => cell.Contains(Formula.Replace("\"", "\\\"", StringComparison.Ordinal), StringComparison.Ordinal)));
        AssertNoCellIsAFormula(rows);
    }

    [Fact]
    public async Task A_statements_negative_amount_stays_a_number_and_no_cell_is_a_formula()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, tag: "csvstatement");
        Assert.Equal(HttpStatusCode.OK, (await MmApi.TransactAsync(admin, mm, "EUR", "DEPOSIT", "100", notes: Formula)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MmApi.TransactAsync(admin, mm, "EUR", "WITHDRAWAL", "40", notes: Formula)).StatusCode);

        var rows = ReadCsv(await admin.GetByteArrayAsync($"{MmApi.Base}/{mm}/statement?asset=EUR&format=csv"));
        var withdrawal = rows.Single(r => r[1] == "WITHDRAWAL");

        Assert.Equal(-40m, decimal.Parse(withdrawal[2], NumberStyles.Number, CultureInfo.InvariantCulture));
        Assert.StartsWith("-", withdrawal[2], StringComparison.Ordinal);
        AssertNoCellIsAFormula(rows, except: (row, column) => column == 2 && decimal.TryParse(row[column], NumberStyles.Number, CultureInfo.InvariantCulture, out _));
    }

    private static void AssertNoCellIsAFormula(List<string[]> rows, Func<string[], int, bool>? except = null)
    {
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                if (row[c].Length > 0 && except?.Invoke(row, c) != true)
                {
                    Assert.True(Array.IndexOf(FormulaStarts, row[c][0]) < 0, $"cell {c} would run as a formula: {row[c]}");
                }
            }
        }
    }

    /// <summary>The cells as a spreadsheet sees them (RFC 4180 unquoted), header first.</summary>
    private static List<string[]> ReadCsv(byte[] csv)
    {
        using var reader = CsvReader.Create(csv, new CsvReaderOptions { HasHeader = false });
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i) ?? "")]);
        }

        return rows;
    }
}
