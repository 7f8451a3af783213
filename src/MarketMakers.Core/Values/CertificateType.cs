namespace MarketMakers.Core.Values;

/// <summary>A certificate type the cash market trades: CEA or EUA. Each has its own order book.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CodeJson<CertificateType>))]
public sealed record CertificateType : Code, IParsableCode<CertificateType>
{
    public static readonly CertificateType Cea = new("CEA", 0x4D4D_4F52_4445_0001);
    public static readonly CertificateType Eua = new("EUA", 0x4D4D_4F52_4445_0002);

    private CertificateType(string value, long lockKey)
        : base(value) => LockKey = lockKey;

    public static IReadOnlyList<CertificateType> All { get; } = [Cea, Eua];

    /// <summary>The transaction-scoped advisory lock that serializes this instrument on every instance.</summary>
    public long LockKey { get; }

    /// <summary>The asset a holder keeps of this certificate type.</summary>
    public Asset Asset => this == Cea ? Asset.Cea : Asset.Eua;

    public static CertificateType Parse(string? value) =>
        Find(All, value) ?? throw DomainException.Validation($"Unknown certificate type '{value}'. Use CEA or EUA.");

    public static bool TryParse(string? value, out CertificateType type)
    {
        type = Find(All, value)!;
        return type is not null;
    }
}
