using System.Security.Cryptography;
using System.Text;

namespace MarketMakers.Core.Matching;

/// <summary>
/// The engine's "same owner" key (SPEC §4b): holders of one owner group share a key, so their orders never match each
/// other, exactly as one holder's never do. A pure function of the group's name, so the engine stays DB-free and
/// compares Guids on the hot path. Names compare trimmed and case-insensitively: "Acme" and "ACME " are one owner,
/// since erring towards prevention is the safe side of the market abuse rules.
/// </summary>
public static class TradingGroup
{
    /// <summary>Null for no group: the holder then trades alone (its key is its holder id).</summary>
    public static Guid? Key(string? ownerGroup)
    {
        var name = ownerGroup?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        // A name-based (SHA-256, truncated) id: stable across instances and restarts; the "owner-group:" prefix keeps
        // it apart from every other id.
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("owner-group:" + name.ToUpperInvariant()), hash);
        return new Guid(hash[..16]);
    }
}
