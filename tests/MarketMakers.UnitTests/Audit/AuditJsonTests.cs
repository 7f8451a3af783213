using System.Text.Json.Nodes;
using MarketMakers.Core.Audit;

namespace MarketMakers.Tests.Audit;

/// <summary>Every ticket payload passes through <see cref="AuditJson"/>: what it must never let into the audit trail.</summary>
public sealed class AuditJsonTests
{
    [Fact]
    public void Secrets_are_masked_at_any_depth_whatever_their_value_and_the_rest_is_kept()
    {
        var json = AuditJson.Serialize(new
        {
            email = "a@b.c",
            Password = "hunter2",
            nested = new { access_token = new { value = "t0k3n", expires = 3 }, list = new object[] { new { client_secret = "s" }, 7, true } },
            cookie_header = new[] { "x=1", "y=2" },
            amount = 12.50m,
            missing = (string?)null,
        })!;

        var node = JsonNode.Parse(json)!;
        Assert.Equal("a@b.c", (string?)node["email"]);
        Assert.Equal("***", (string?)node["password"]);
        Assert.Equal("***", (string?)node["nested"]!["access_token"]);
        Assert.Equal("***", (string?)node["nested"]!["list"]![0]!["client_secret"]);
        Assert.Equal(7, (int)node["nested"]!["list"]![1]!);
        Assert.True((bool)node["nested"]!["list"]![2]!);
        Assert.Equal("***", (string?)node["cookie_header"]);
        Assert.Equal("12.50", (string?)node["amount"]);
        Assert.False(node.AsObject().ContainsKey("missing"));
        Assert.DoesNotContain("hunter2", json);
        Assert.DoesNotContain("t0k3n", json);
    }

    [Fact]
    public void A_NUL_in_a_key_or_a_value_becomes_U_FFFD_because_PostgreSQL_cannot_store_it()
    {
        var json = AuditJson.Serialize(new Dictionary<string, object> { ["na\0me"] = "va\0lue", ["plain"] = new[] { "x\0" } })!;

        Assert.DoesNotContain("\\u0000", json);
        var node = JsonNode.Parse(json)!;
        Assert.Equal("va\uFFFDlue", (string?)node["na\uFFFDme"]);
        Assert.Equal("x\uFFFD", (string?)node["plain"]![0]);
    }

    [Fact]
    public void Null_stays_null_and_a_JsonNode_is_cleaned_the_same_way()
    {
        Assert.Null(AuditJson.Serialize(null));
        var json = AuditJson.Serialize(new JsonObject { ["token"] = "abc", ["ok"] = 1 })!;

        Assert.Equal("***", (string?)JsonNode.Parse(json)!["token"]);
        Assert.Equal(1, (int)JsonNode.Parse(json)!["ok"]!);
    }
}
