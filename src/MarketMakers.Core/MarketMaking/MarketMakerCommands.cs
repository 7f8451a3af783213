using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;

namespace MarketMakers.Core.MarketMaking;

/// <summary>Creates a Market Maker with its user, its ledger holder and optional initial balances (MM_CREATED).</summary>
public sealed record CreateMarketMaker : Command
{
    private CreateMarketMaker(string name, string email, string? description, IReadOnlyList<Amount> initialBalances, string? ownerGroup) =>
        (Name, Email, Description, InitialBalances, OwnerGroup) = (name, email, description, initialBalances, ownerGroup);

    public string Name { get; }

    public string Email { get; }

    public string? Description { get; }

    /// <summary>Trimmed, null for none (SPEC §4b).</summary>
    public string? OwnerGroup { get; }

    /// <summary>One positive amount per asset, in asset order; zero amounts are dropped.</summary>
    public IReadOnlyList<Amount> InitialBalances { get; }

    public static CreateMarketMaker Parse(
        string? name, string? email, string? description, IReadOnlyDictionary<string, decimal>? initialBalances, string? ownerGroup = null)
    {
        var validName = MarketMaker.ValidName(name);
        var trimmedEmail = email?.Trim() ?? "";
        if (!UserAccounts.IsEmail(trimmedEmail))
        {
            throw DomainException.Validation("A valid email address is required.");
        }

        var amounts = new SortedDictionary<string, Amount>(StringComparer.Ordinal);
        foreach (var (key, amount) in initialBalances ?? new Dictionary<string, decimal>())
        {
            var asset = Asset.Parse(key);
            if (amounts.ContainsKey(asset.Value))
            {
                throw DomainException.Validation($"Initial balance for {asset} is given twice.");
            }

            if (amount != 0)
            {
                amounts[asset.Value] = Amount.Parse(asset, amount);
            }
        }

        return new CreateMarketMaker(
            validName, trimmedEmail, MarketMaker.ValidDescription(description), [.. amounts.Values], MarketMaker.ValidOwnerGroup(ownerGroup));
    }

    public override TicketDraft Draft()
    {
        var draft = Ticket(new
        {
            name = Name,
            email = Email,
            description = Description,
            owner_group = OwnerGroup,
            initial_balances = InitialBalances.ToDictionary(a => a.Asset.Value, a => a.Value),
        });
        return draft;
    }

    public static TicketDraft Ticket(object? request)
    {
        var draft = new TicketDraft(ActionTypes.MmCreated, EntityTypes.MarketMaker) { Request = request };
        draft.Tags.AddRange(["market_maker", "create"]);
        return draft;
    }
}

/// <summary>
/// Renames, re-describes, regroups, deactivates or reactivates a Market Maker (MM_UPDATED). Null leaves a field as it
/// is; an empty description or owner group clears it.
/// </summary>
public sealed record UpdateMarketMaker : Command
{
    private UpdateMarketMaker(MarketMakerId id, string? name, string? description, bool? isActive, string? ownerGroup) =>
        (MarketMakerId, Name, Description, IsActive, OwnerGroup) = (id, name, description, isActive, ownerGroup);

    public MarketMakerId MarketMakerId { get; }

    public string? Name { get; }

    public string? Description { get; }

    public bool? IsActive { get; }

    /// <summary>Null: unchanged; "": out of any group; else the trimmed group.</summary>
    public string? OwnerGroup { get; }

    public static UpdateMarketMaker Parse(MarketMakerId id, string? name, string? description, bool? isActive, string? ownerGroup = null) =>
        new(
            id,
            name is null ? null : MarketMaker.ValidName(name),
            description is null ? null : MarketMaker.ValidDescription(description) ?? "",
            isActive,
            ownerGroup is null ? null : MarketMaker.ValidOwnerGroup(ownerGroup) ?? "");

    public override TicketDraft Draft() =>
        Ticket(MarketMakerId.ToString(), new { name = Name, description = Description, owner_group = OwnerGroup, is_active = IsActive });

    public static TicketDraft Ticket(string? marketMakerId, object? request)
    {
        var draft = new TicketDraft(ActionTypes.MmUpdated, EntityTypes.MarketMaker) { EntityId = marketMakerId, Request = request };
        draft.Tags.AddRange(["market_maker", "update"]);
        return draft;
    }
}

/// <summary>Soft-deletes a Market Maker: it is deactivated; its ledger, user and tickets stay (ticketed MM_DELETED).</summary>
public sealed record DeactivateMarketMaker(MarketMakerId MarketMakerId) : Command
{
    public override TicketDraft Draft() => Ticket(MarketMakerId.ToString());

    public static TicketDraft Ticket(string? marketMakerId)
    {
        var draft = new TicketDraft(ActionTypes.MmDeactivated, EntityTypes.MarketMaker) { EntityId = marketMakerId };
        draft.Tags.AddRange(["market_maker", "deletion"]);
        return draft;
    }
}
