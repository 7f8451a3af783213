namespace MarketMakers.Web.OpenApi;

/// <summary>
/// The tags of the API reference and what each covers. An endpoint names its tag with <c>.WithTags(ApiTags.X)</c>;
/// a tag used by an endpoint but missing here appears without a description, which the OpenAPI tests refuse.
/// </summary>
public static class ApiTags
{
    public const string Authentication = "Authentication";
    public const string CashMarket = "Cash Market";
    public const string MarketMakers = "Market Makers";
    public const string Obligations = "Market Maker obligations";
    public const string MarketOrders = "Market Orders";
    public const string Quotes = "Quotes";
    public const string MarketData = "Market Data";
    public const string Clients = "Clients";
    public const string Staff = "Staff";
    public const string Approvals = "Approvals";
    public const string Risk = "Risk";
    public const string Logging = "Logging";
    public const string Reconciliation = "Reconciliation";

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [Authentication] = "Sign in with email and password (and a one-time code when two-factor is on) to get a bearer token; "
            + "send it as `Authorization: Bearer <access_token>` on every other call. Tokens last one hour; logging out revokes the calling token.",
        [CashMarket] = "The public order book, and for signed-in client users their own orders, trades, balances and statements. "
            + "Placing and cancelling orders needs the FUNDED role; reading needs any cash-market role.",
        [MarketMakers] = "Admin-controlled liquidity providers: create, update and deactivate them, move assets in and out of their ledger, "
            + "read balances (also as of a past instant), transactions, statements and trading performance.",
        [Obligations] = "Quoting obligations per Market Maker and instrument (maximum spread, minimum size, minimum presence), and the compliance the sampler measured.",
        [MarketOrders] = "Orders placed by the desk on a Market Maker's behalf, the book as the desk sees it, and the kill switch that cancels every open order.",
        [Quotes] = "Quote ladders: a Market Maker's bids and asks replaced in one action.",
        [MarketData] = "Market data for integrators: instruments, trades and book history.",
        [Clients] = "Client users and their entities: create them, change their role or access, and fund them with EUR.",
        [Staff] = "Back-office staff (ADMIN, OPERATOR, AUDITOR): create them, change their role or access, reset their two-factor sign-in. ADMIN only.",
        [Approvals] = "Four-eyes approval of ledger movements: the queue of pending requests, approve (executes the movement) or reject with a reason. ADMIN only, never the requester.",
        [Risk] = "Market state (OPEN or HALTED) and pre-trade limits per instrument: halt, resume and change the price collar and the order size limits.",
        [Logging] = "The audit trail: every action's ticket, searchable and exportable, statistics, and verification of the tamper-evident chain.",
        [Reconciliation] = "Checks every ledger invariant (available, locked and conserved certificates) and lists any mismatch.",
    };
}
