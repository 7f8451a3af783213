namespace MarketMakers.Core.Values;

/// <summary>What a ledger holder can hold: the two certificate types in whole units, and EUR in cents.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CodeJson<Asset>))]
public sealed record Asset : Code, IParsableCode<Asset>
{
    public static readonly Asset Cea = new("CEA");
    public static readonly Asset Eua = new("EUA");
    public static readonly Asset Eur = new("EUR");

    private Asset(string value)
        : base(value)
    {
    }

    public static IReadOnlyList<Asset> All { get; } = [Cea, Eua, Eur];

    public bool IsCertificate => this != Eur;

    /// <summary>The certificate type of a certificate asset; null for EUR.</summary>
    public CertificateType? CertificateType => this == Cea ? Values.CertificateType.Cea : this == Eua ? Values.CertificateType.Eua : null;

    public static Asset Parse(string? value) =>
        Find(All, value) ?? throw DomainException.Validation($"Unknown asset '{value}'. Use one of {string.Join(", ", All)}.");

    /// <summary>
    /// A code as the database stores it (canonical upper case, the column's check constraint): a switch on the three
    /// codes, for the raw SQL readers that convert one balance row at a time on the order path.
    /// </summary>
    internal static Asset FromStored(string value) => value switch
    {
        "CEA" => Cea,
        "EUA" => Eua,
        "EUR" => Eur,
        _ => Parse(value),
    };

    public static implicit operator Asset(CertificateType certificate) => certificate.Asset;
}
