using MarketMakers.Core.Audit;

namespace MarketMakers.Core.Risk;

/// <summary>
/// The kill switch (SPEC §4a): cancel every open order that matches the filter, one transaction and one MASS_CANCEL
/// ticket per instrument. A field left out does not filter; an empty filter pulls every open order of every book.
/// </summary>
public sealed record CancelAllOrders : Command
{
    private CancelAllOrders(MarketMakerId? marketMaker, CertificateType? certificate, OrderSide? side) =>
        (MarketMaker, Certificate, Side) = (marketMaker, certificate, side);

    public MarketMakerId? MarketMaker { get; }

    public CertificateType? Certificate { get; }

    public OrderSide? Side { get; }

    /// <summary>Parses the optional fields; a field that is sent must be valid (an empty string is not "no filter").</summary>
    public static CancelAllOrders Parse(string? marketMakerId, string? certificateType, string? side) => new(
        marketMakerId is null ? null : MarketMakerId.Parse(marketMakerId),
        certificateType is null ? null : CertificateType.Parse(certificateType),
        side is null ? null : OrderSide.Parse(side));

    public static CancelAllOrders Create(MarketMakerId? marketMaker, CertificateType? certificate, OrderSide? side = null) =>
        new(marketMaker, certificate, side);

    /// <summary>The instruments it touches, in lock order.</summary>
    public IReadOnlyList<CertificateType> Instruments =>
        Certificate is { } one ? [one] : [.. CertificateType.All.OrderBy(c => c.LockKey)];

    /// <summary>The filter as every MASS_CANCEL ticket records it.</summary>
    public object Filter => new { market_maker_id = MarketMaker?.Value, certificate_type = Certificate?.Value, side = Side?.Value };

    public override TicketDraft Draft() => Ticket(Certificate?.Value, MarketMaker?.Value, Filter);

    /// <summary>The ticket of one instrument's transaction.</summary>
    public TicketDraft Draft(CertificateType instrument) => Ticket(instrument.Value, MarketMaker?.Value, Filter);

    /// <summary>A MASS_CANCEL ticket, also for a request refused before it could be parsed.</summary>
    public static TicketDraft Ticket(string? certificateType, Guid? marketMakerId, object? request)
    {
        var draft = new TicketDraft(ActionTypes.MassCancel, EntityTypes.Market)
        {
            EntityId = certificateType,
            MarketMakerId = marketMakerId,
            Request = request,
        };
        draft.Tags.AddRange(["risk", "mass_cancel"]);
        return draft;
    }
}

/// <summary>What a cancel-all did: the orders cancelled across instruments, and the MASS_CANCEL ticket of each instrument.</summary>
public sealed record MassCancelResult(int Cancelled, IReadOnlyList<string> TicketIds);
