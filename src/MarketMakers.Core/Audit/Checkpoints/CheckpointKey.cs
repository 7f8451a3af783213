using System.Security.Cryptography;

namespace MarketMakers.Core.Audit.Checkpoints;

/// <summary>
/// An ECDSA P-256 key read from a PEM file: the app's private key, or a public key given to the verifier. Its id is
/// the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo, so a checkpoint names the key that signed it
/// and a rotated key's old checkpoints still verify against the old public key.
/// </summary>
public sealed class CheckpointKey : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private readonly ECDsa _key;

    private CheckpointKey(ECDsa key, bool hasPrivateKey)
    {
        _key = key;
        HasPrivateKey = hasPrivateKey;
        KeyId = IdOf(key.ExportSubjectPublicKeyInfo());
    }

    public string KeyId { get; }

    public bool HasPrivateKey { get; }

    /// <summary>The public half, as a "PUBLIC KEY" PEM block.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Reads a PEM file holding an EC private key (SEC1 or PKCS#8) or a public key; anything but P-256 is refused.</summary>
    public static CheckpointKey Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Audit checkpoint key file '{path}' does not exist.");
        }

        return FromPem(File.ReadAllText(path), path);
    }

    public static CheckpointKey FromPem(string pem, string source = "PEM")
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (ArgumentException ex)
        {
            key.Dispose();
            throw new InvalidOperationException($"{source} holds no EC key in PEM form: {ex.Message}", ex);
        }

        var parameters = key.ExportParameters(false);
        if (parameters.Curve.Oid.Value != P256Oid && parameters.Curve.Oid.FriendlyName is not ("nistP256" or "ECDSA_P256"))
        {
            key.Dispose();
            throw new InvalidOperationException($"{source} is not a P-256 key (curve {parameters.Curve.Oid.FriendlyName}).");
        }

        return new CheckpointKey(key, pem.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    /// <summary>A fresh key as a PKCS#8 PEM, for test hosts and for run.sh where openssl is missing.</summary>
    public static string GeneratePrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    public byte[] Sign(byte[] statement) =>
        _key.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public bool Verify(byte[] statement, byte[] signature)
    {
        try
        {
            return _key.VerifyData(statement, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static string IdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];

    public void Dispose() => _key.Dispose();
}
