using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.Obligations;

/// <summary>Issue 17 "CSV export" of the compliance buckets: <c>format=csv</c>, its columns the JSON field names, the same figures.</summary>
public sealed class ComplianceCsvApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Header = "bucket,certificate_type,samples,present_samples,presence_pct,avg_spread,avg_bid_quantity,avg_ask_quantity,min_presence_pct,met";

    [Fact]
    public async Task The_compliance_csv_has_one_line_per_bucket_with_the_json_fields_and_figures()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var auditor = await app.CreateClientForRoleAsync(Roles.Auditor);
        var mm = await MmApi.CreateAsync(admin, tag: "csv");
        await OrderApi.OkAsync(await admin.PutAsJsonAsync($"{MmApi.Base}/{mm}/obligations/CEA", new { max_spread = 1.00m, min_quantity = 10, min_presence_pct = 50 }));
        await ComplianceScript.InsertAsync(app.Postgres, mm);
        var query = $"{MmApi.Base}/{mm}/compliance?certificate_type=CEA&date_from={ComplianceScript.Day}&date_to={ComplianceScript.Day}&bucket=hour";

        var response = await auditor.GetAsync(query + "&format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".csv", response.Content.Headers.ContentDisposition?.FileName ?? "");
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(Header, lines[0]);
        Assert.Equal(3, lines.Length);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(
            [
                ("2026-01-05T09:00:00Z", "CEA", 3L, 2L, 66.67m, (decimal?)0.5m, 8.33m, 20m, 50m, "true"),
                ("2026-01-05T10:00:00Z", "CEA", 2L, 0L, 0m, 1.5m, 5m, 20m, 50m, "false"),
            ],
            rows.Select(r => (r[0], r[1], long.Parse(r[2], CultureInfo.InvariantCulture), long.Parse(r[3], CultureInfo.InvariantCulture), D(r[4]),
                r[5].Length == 0 ? (decimal?)null : D(r[5]), D(r[6]), D(r[7]), D(r[8]), r[9])));

        // Column by column the JSON of the same query says the same.
        var json = await OrderApi.OkAsync(await auditor.GetAsync(query));
        var buckets = json.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(2, buckets.Count);
        var columns = Header.Split(',');
        for (var i = 0; i < buckets.Count; i++)
        {
            Assert.Equal(DateTimeOffset.Parse(rows[i][0], CultureInfo.InvariantCulture), buckets[i].GetProperty("bucket").GetDateTimeOffset());
            for (var c = 1; c < columns.Length; c++)
            {
                var value = buckets[i].GetProperty(columns[c]);
                Assert.Equal(value.ValueKind is JsonValueKind.Null ? "" : value.ToString().ToLowerInvariant(), rows[i][c].ToLowerInvariant());
            }
        }

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.GetAsync(query + "&format=xml")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{MmApi.Base}/{Guid.NewGuid()}/compliance?format=csv")).StatusCode);
        // The page's cookie twin refuses an anonymous request.
        using var anonymous = app.CreateApiClient();
        var twin = await anonymous.GetAsync($"/backoffice/market-makers/{mm}/compliance/export?date_from={ComplianceScript.Day}&date_to={ComplianceScript.Day}");
        Assert.NotEqual(HttpStatusCode.OK, twin.StatusCode);
    }

    private static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}
