using QRCoder;

namespace MarketMakers.Web.Components.Pages.Account;

/// <summary>Renders the authenticator URI as a QR code on the server, so the key never goes to a third party.</summary>
public static class TwoFactorQr
{
    public static string DataUri(string otpauthUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpauthUri, QRCodeGenerator.ECCLevel.Q);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    /// <summary>The Base32 key in groups of four, easier to read and type.</summary>
    public static string Grouped(string key) =>
        string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - i * 4))));
}
