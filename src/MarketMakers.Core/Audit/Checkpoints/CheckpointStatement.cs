using System.Globalization;
using System.Text;

namespace MarketMakers.Core.Audit.Checkpoints;

/// <summary>
/// The exact bytes a checkpoint signs: a version line, the ticket id, the chain digest and the signing time (UTC,
/// microseconds, as PostgreSQL stores it), one per line. The app signs them and the offline verifier
/// (tools/MarketMakers.AuditVerify) checks them from this one definition; an operator can also rebuild them by hand
/// and check the signature with <c>openssl dgst -sha256 -verify</c>.
/// </summary>
public static class CheckpointStatement
{
    public const string Version = "marketmakers-audit-checkpoint-v1";

    public static byte[] Bytes(string lastTicketId, string digest, DateTimeOffset signedAt) =>
        Encoding.UTF8.GetBytes($"{Version}\n{lastTicketId}\n{digest}\n{Time(signedAt)}\n");

    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>PostgreSQL keeps microseconds: what is signed must be what is stored and read back.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
}
