namespace MarketMakers.Core.Audit;

/// <summary>The catalogue of audited action types. Every ticket's action_type is one of these.</summary>
public static class ActionTypes
{
    public const string LoginSuccess = "LOGIN_SUCCESS";
    public const string LoginFailed = "LOGIN_FAILED";
    public const string Logout = "LOGOUT";
    public const string MmCreated = "MM_CREATED";
    public const string MmUpdated = "MM_UPDATED";
    /// <summary>A Market Maker deactivated (a soft delete: its ledger, user and tickets stay); the name is the one tickets have always carried.</summary>
    public const string MmDeactivated = "MM_DELETED";
    public const string AssetDeposit = "ASSET_DEPOSIT";
    public const string AssetWithdrawal = "ASSET_WITHDRAWAL";
    public const string MmOrderPlaced = "MM_ORDER_PLACED";
    public const string MmOrderCancelled = "MM_ORDER_CANCELLED";
    public const string OrderPlaced = "ORDER_PLACED";
    public const string OrderCancelled = "ORDER_CANCELLED";
    public const string TradeExecuted = "TRADE_EXECUTED";
    public const string UserCreated = "USER_CREATED";
    public const string UserRoleChanged = "USER_ROLE_CHANGED";
    public const string UserDeactivated = "USER_DEACTIVATED";
    public const string UserReactivated = "USER_REACTIVATED";
    public const string PasswordChanged = "PASSWORD_CHANGED";
    public const string TwoFactorEnabled = "TWO_FACTOR_ENABLED";
    public const string TwoFactorReset = "TWO_FACTOR_RESET";
    public const string LedgerMovementRequested = "LEDGER_MOVEMENT_REQUESTED";
    public const string LedgerMovementApproved = "LEDGER_MOVEMENT_APPROVED";
    public const string LedgerMovementRejected = "LEDGER_MOVEMENT_REJECTED";
    public const string LedgerMovementExpired = "LEDGER_MOVEMENT_EXPIRED";
    public const string MarketHalted = "MARKET_HALTED";
    public const string MarketResumed = "MARKET_RESUMED";
    public const string RiskLimitsChanged = "RISK_LIMITS_CHANGED";
    /// <summary>The kill switch: one per instrument it touched, linked to each order's own cancel ticket.</summary>
    public const string MassCancel = "MASS_CANCEL";
    /// <summary>A Market Maker's quote ladder on one instrument replaced (or pulled), linked to every child order's ticket.</summary>
    public const string QuotesReplaced = "QUOTES_REPLACED";
    public const string ObligationChanged = "OBLIGATION_CHANGED";

    public static IReadOnlyList<string> All { get; } =
    [
        LoginSuccess, LoginFailed, Logout, MmCreated, MmUpdated, MmDeactivated, AssetDeposit, AssetWithdrawal,
        MmOrderPlaced, MmOrderCancelled, OrderPlaced, OrderCancelled, TradeExecuted, UserCreated, UserRoleChanged,
        UserDeactivated, UserReactivated, PasswordChanged, TwoFactorEnabled, TwoFactorReset,
        LedgerMovementRequested, LedgerMovementApproved, LedgerMovementRejected, LedgerMovementExpired,
        MarketHalted, MarketResumed, RiskLimitsChanged, MassCancel, QuotesReplaced, ObligationChanged,
    ];

    public static bool IsKnown(string actionType) => All.Contains(actionType, StringComparer.Ordinal);
}

/// <summary>What kind of thing a ticket's entity_id names.</summary>
public static class EntityTypes
{
    public const string User = "User";
    public const string MarketMaker = "MarketMaker";
    public const string AssetTransaction = "AssetTransaction";
    public const string Order = "Order";
    public const string Trade = "Trade";
    public const string MovementRequest = "MovementRequest";
    /// <summary>One certificate type's market: its state and pre-trade limits; entity_id is the certificate type.</summary>
    public const string Market = "Market";
    /// <summary>A Market Maker's quoting obligation on one instrument.</summary>
    public const string Obligation = "Obligation";
}

public static class TicketStatus
{
    public const string Success = "SUCCESS";
    public const string Failed = "FAILED";
}
