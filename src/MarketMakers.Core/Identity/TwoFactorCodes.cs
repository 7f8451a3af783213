using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace MarketMakers.Core.Identity;

/// <summary>
/// Checks a second-factor code through Identity's authenticator provider (TOTP) or its recovery codes. Identity
/// accepts a TOTP code for several time steps, so the last accepted code is remembered (as a hash) and refused again
/// until it could no longer verify anyway.
/// </summary>
public static class TwoFactorCodes
{
    /// <summary>Longer than the span Identity's provider accepts a code for (a few 30-second steps either side).</summary>
    public static readonly TimeSpan ReuseWindow = TimeSpan.FromMinutes(5);

    /// <summary>Null when the code is accepted (and its use recorded on the user); otherwise the reason, never the code.</summary>
    public static async Task<string?> CheckAsync(UserManager<AppUser> users, AppUser user, string? code, DateTimeOffset now)
    {
        var trimmed = (code ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        if (trimmed.Length == 0)
        {
            return "two-factor code required";
        }

        if (trimmed.Length == 6 && trimmed.All(char.IsAsciiDigit))
        {
            var hash = Hash(user.Id, trimmed);
            if (user.LastTwoFactorCodeHash == hash && user.LastTwoFactorCodeAt > now - ReuseWindow)
            {
                return "two-factor code already used";
            }

            if (!await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, trimmed))
            {
                return "wrong two-factor code";
            }

            user.LastTwoFactorCodeHash = hash;
            user.LastTwoFactorCodeAt = now;
            return null;
        }

        var redeemed = await users.RedeemTwoFactorRecoveryCodeAsync(user, trimmed.ToUpperInvariant());
        return redeemed.Succeeded ? null : "wrong or already used recovery code";
    }

    private static string Hash(Guid userId, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId:N}:{code}")));
}
