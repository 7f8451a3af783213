using MarketMakers.Core.Audit;

namespace MarketMakers.Core.Obligations;

/// <summary>Creates or replaces one MM's obligation on one instrument (OBLIGATION_CHANGED, before and after; OPERATOR or ADMIN).</summary>
public sealed record SetObligation(MarketMakerId MarketMakerId, CertificateType CertificateType, ObligationTerms Terms) : Command
{
    public static SetObligation Parse(string? marketMakerId, string? certificateType, decimal? maxSpread, decimal? minQuantity, decimal? minPresencePct, bool? active) =>
        new(MarketMakers.Core.Values.MarketMakerId.Parse(marketMakerId), CertificateType.Parse(certificateType),
            ObligationTerms.Parse(maxSpread, minQuantity, minPresencePct, active));

    public override TicketDraft Draft() => Ticket(MarketMakerId.ToString(), CertificateType.Value, new
    {
        max_spread = Terms.MaxSpread,
        min_quantity = Terms.MinQuantity,
        min_presence_pct = Terms.MinPresencePct,
        active = Terms.Active,
    });

    public static TicketDraft Ticket(string? marketMakerId, string? certificateType, object? request)
    {
        // The entity is the MM's obligation on one instrument: "<mm id>/<certificate type>".
        var draft = new TicketDraft(ActionTypes.ObligationChanged, EntityTypes.Obligation)
        {
            EntityId = certificateType is null ? marketMakerId : $"{marketMakerId}/{certificateType}",
            Request = request,
        };
        draft.Tags.AddRange(["market-making", "obligation"]);
        return draft;
    }
}
