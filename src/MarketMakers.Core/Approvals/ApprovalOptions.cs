namespace MarketMakers.Core.Approvals;

/// <summary>Four-eyes approval of manual ledger movements (configuration section "Approvals").</summary>
public sealed class ApprovalOptions
{
    /// <summary>On by default: no single person can move money. Off, movements execute at once (and the app says so).</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan ExpiresAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the background sweep looks for requests past their deadline.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);
}
