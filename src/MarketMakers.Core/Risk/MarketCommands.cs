using MarketMakers.Core.Audit;

namespace MarketMakers.Core.Risk;

/// <summary>The reason a halt or resume must carry: the desk's words, kept in the ticket and shown on the book.</summary>
public static class MarketReason
{
    public const int MaxLength = 500;

    public static string Parse(string? reason)
    {
        var text = reason?.Trim() ?? "";
        return text.Length switch
        {
            0 => throw DomainException.Validation("A reason is required."),
            > MaxLength => throw DomainException.Validation($"The reason must be at most {MaxLength} characters."),
            _ => text,
        };
    }
}

/// <summary>Halts one market (MARKET_HALTED; OPERATOR or ADMIN): from its commit on, every new order is refused.</summary>
public sealed record HaltMarket(CertificateType CertificateType, string Reason) : Command
{
    public static HaltMarket Parse(string? certificateType, string? reason) => new(CertificateType.Parse(certificateType), MarketReason.Parse(reason));

    public override TicketDraft Draft() => Ticket(ActionTypes.MarketHalted, CertificateType.Value, new { reason = Reason });

    public static TicketDraft Ticket(string actionType, string? certificateType, object? request)
    {
        var draft = new TicketDraft(actionType, EntityTypes.Market) { EntityId = certificateType, Request = request };
        draft.Tags.AddRange(["risk", "market", actionType == ActionTypes.MarketHalted ? "halt" : "resume"]);
        return draft;
    }
}

/// <summary>Resumes a halted market (MARKET_RESUMED; ADMIN only).</summary>
public sealed record ResumeMarket(CertificateType CertificateType, string Reason) : Command
{
    public static ResumeMarket Parse(string? certificateType, string? reason) => new(CertificateType.Parse(certificateType), MarketReason.Parse(reason));

    public override TicketDraft Draft() => HaltMarket.Ticket(ActionTypes.MarketResumed, CertificateType.Value, new { reason = Reason });
}

/// <summary>Replaces one market's pre-trade limits (RISK_LIMITS_CHANGED, before and after; ADMIN only).</summary>
public sealed record SetRiskLimits(CertificateType CertificateType, RiskLimits Limits) : Command
{
    public static SetRiskLimits Parse(string? certificateType, decimal? collarPct, decimal? referencePrice, decimal? maxQuantity, decimal? maxNotional) =>
        new(CertificateType.Parse(certificateType), RiskLimits.Parse(collarPct, referencePrice, maxQuantity, maxNotional));

    public override TicketDraft Draft() => Ticket(CertificateType.Value, Market.LimitsSnapshot(Limits));

    public static TicketDraft Ticket(string? certificateType, object? request)
    {
        var draft = new TicketDraft(ActionTypes.RiskLimitsChanged, EntityTypes.Market) { EntityId = certificateType, Request = request };
        draft.Tags.AddRange(["risk", "market", "limits"]);
        return draft;
    }
}
