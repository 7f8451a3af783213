namespace MarketMakers.Core.Audit.Sealing;

/// <summary>
/// One link of the audit chain: the digest of one ticket's canonical form and the chain hash
/// SHA-256(previous chain hash ‖ ticket digest). Append-only, like the tickets it seals.
/// </summary>
public sealed class TicketSeal
{
    private TicketSeal()
    {
    }

    /// <summary>Position in the chain; the order the sealer appended tickets in.</summary>
    public long Seq { get; private set; }

    public string TicketId { get; private set; } = "";

    public string TicketDigest { get; private set; } = "";

    public string ChainHash { get; private set; } = "";

    public DateTimeOffset SealedAt { get; private set; }

    internal static TicketSeal Create(long seq, string ticketId, string ticketDigest, string chainHash, DateTimeOffset sealedAt) =>
        new() { Seq = seq, TicketId = ticketId, TicketDigest = ticketDigest, ChainHash = chainHash, SealedAt = sealedAt };
}
