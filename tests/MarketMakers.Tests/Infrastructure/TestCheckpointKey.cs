using MarketMakers.Core.Audit.Checkpoints;

namespace MarketMakers.Tests.Infrastructure;

/// <summary>
/// The audit checkpoint key of a test run: a fresh P-256 key in a temporary file, outside the database as in
/// production, shared by every test host of the run. Its public half sits beside it for the offline verifier.
/// </summary>
public static class TestCheckpointKey
{
    private static readonly Lazy<string> Private = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("mm-checkpoint-key-").FullName;
        var path = System.IO.Path.Combine(dir, "audit-checkpoint-key.pem");
        var pem = CheckpointKey.GeneratePrivateKeyPem();
        File.WriteAllText(path, pem);
        using var key = CheckpointKey.FromPem(pem);
        File.WriteAllText(System.IO.Path.Combine(dir, "audit-checkpoint-key.pub.pem"), key.PublicKeyPem);
        return path;
    });

    public static string Path => Private.Value;

    public static string PublicPath => System.IO.Path.ChangeExtension(Path, null) + ".pub.pem";
}
