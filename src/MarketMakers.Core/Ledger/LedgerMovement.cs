using System.Text.Json.Serialization;
using MarketMakers.Core.Audit;

namespace MarketMakers.Core.Ledger;

/// <summary>A manual ledger movement: DEPOSIT or WITHDRAWAL.</summary>
[JsonConverter(typeof(CodeJson<MovementType>))]
public sealed record MovementType : Code, IParsableCode<MovementType>
{
    public static readonly MovementType Deposit = new(TransactionTypes.Deposit);
    public static readonly MovementType Withdrawal = new(TransactionTypes.Withdrawal);

    private MovementType(string value)
        : base(value)
    {
    }

    public static IReadOnlyList<MovementType> All { get; } = [Deposit, Withdrawal];

    public static MovementType Parse(string? value) => Find(All, value)
        ?? throw DomainException.Validation($"Unknown transaction type '{value}'. Use {TransactionTypes.Deposit} or {TransactionTypes.Withdrawal}.");

    /// <summary>The ticket's action type; anything that is not a withdrawal is recorded as a deposit attempt.</summary>
    public static string ActionTypeOf(string? value) =>
        string.Equals(value?.Trim(), TransactionTypes.Withdrawal, StringComparison.OrdinalIgnoreCase) ? ActionTypes.AssetWithdrawal : ActionTypes.AssetDeposit;
}

/// <summary>Whose balance a movement changes: a Market Maker, or the client entity of a user.</summary>
public abstract record LedgerHolder
{
    private LedgerHolder()
    {
    }

    public sealed record MarketMaker(MarketMakerId Id) : LedgerHolder;

    public sealed record ClientUser(UserId Id) : LedgerHolder;
}

/// <summary>A deposit into or a withdrawal from one holder's available balance (ASSET_DEPOSIT / ASSET_WITHDRAWAL).</summary>
public sealed record MoveAssets : Command
{
    public const int MaxNotesLength = 1000;

    private MoveAssets(LedgerHolder holder, MovementType type, Amount amount, string? notes) =>
        (Holder, Type, Amount, Notes) = (holder, type, amount, notes);

    public LedgerHolder Holder { get; }

    public MovementType Type { get; }

    public Amount Amount { get; }

    public string? Notes { get; }

    public static MoveAssets Create(LedgerHolder holder, MovementType type, Amount amount, string? notes) =>
        notes is { Length: > MaxNotesLength }
            ? throw DomainException.Validation($"Notes may have at most {MaxNotesLength} characters.")
            : new MoveAssets(holder, type, amount, string.IsNullOrWhiteSpace(notes) ? null : notes.Trim());

    /// <summary>Parses a movement's fields in the order a user reads them: asset, type, amount, notes.</summary>
    public static MoveAssets Parse(LedgerHolder holder, string? asset, string? type, decimal? amount, string? notes)
    {
        var parsedAsset = Asset.Parse(asset);
        var parsedType = MovementType.Parse(type);
        return Create(holder, parsedType, Amount.Parse(parsedAsset, amount), notes);
    }

    public override TicketDraft Draft() => Ticket(
        Holder,
        Type.Value,
        new { certificate_type = Amount.Asset.Value, transaction_type = Type.Value, amount = Amount.Value, notes = Notes });

    /// <summary>The ticket of a movement, also for a request refused before it could be parsed.</summary>
    public static TicketDraft Ticket(LedgerHolder? holder, string? transactionType, object? request, string? rawHolderId = null)
    {
        var actionType = MovementType.ActionTypeOf(transactionType);
        var draft = new TicketDraft(actionType, EntityTypes.AssetTransaction);
        switch (holder)
        {
            case LedgerHolder.MarketMaker mm:
                draft.MarketMakerId = mm.Id.Value;
                draft.Request = new { market_maker_id = mm.Id.ToString(), body = request };
                draft.Tags.Add("market_maker");
                break;
            case LedgerHolder.ClientUser user:
                draft.Request = new { user_id = user.Id.ToString(), body = request };
                draft.Tags.Add("client");
                break;
            default:
                draft.Request = new { holder_id = rawHolderId, body = request };
                break;
        }

        draft.Tags.Add(actionType == ActionTypes.AssetWithdrawal ? "withdrawal" : "deposit");
        return draft;
    }
}

/// <summary>
/// A ledger row as the API and pages show it, for any holder. <c>certificate_type</c> is the wire name of the
/// asset (it may be EUR); <c>market_maker_id</c> is set when the holder is a Market Maker.
/// </summary>
public sealed record TransactionView(
    long Id,
    string TicketId,
    Guid HolderId,
    Guid? MarketMakerId,
    [property: JsonPropertyName("certificate_type")] string Asset,
    string TransactionType,
    decimal Amount,
    decimal BalanceAfter,
    string? Notes,
    Guid? CreatedBy,
    DateTimeOffset CreatedAt)
{
    public static TransactionView From(AssetTransaction t, bool ofMarketMaker) =>
        new(t.Id, t.TicketId, t.HolderId, ofMarketMaker ? t.HolderId : null, t.Asset.Value, t.TransactionType, t.Amount, t.BalanceAfter,
            t.Notes, t.CreatedBy, t.CreatedAt);
}

/// <summary>What a movement did: its ledger row and the holder's balance of that asset afterwards.</summary>
public sealed record MovementResult(TransactionView Transaction, BalanceView NewBalance);
