using System.Text.Json;
using MarketMakers.Core.Audit.Checkpoints;

namespace MarketMakers.AuditVerify;

/// <summary>
/// <c>--checkpoints F --connection C [--public-key P]…</c>: proves the database's audit chain matches the signed heads.
/// <c>--generate-key F</c>: writes a new P-256 private key to F and its public key to F's <c>.pub.pem</c> twin (for
/// run.sh where openssl is missing). Exit 0 intact, 1 tampered, 2 bad usage or unreadable input.
/// </summary>
public static class Cli
{
    public const int Intact = 0;
    public const int Tampered = 1;
    public const int Usage = 2;

    /// <summary>Where run.sh keeps the public half of the key it generates; the default for <c>--public-key</c>.</summary>
    public const string DefaultPublicKey = ".data/audit-checkpoint-key.pub.pem";

    private const string Help = """
        usage: MarketMakers.AuditVerify --checkpoints FILE --connection CONNSTRING [--public-key PEM]...
               MarketMakers.AuditVerify --generate-key FILE
          --checkpoints   the JSON array saved from GET /api/v1/admin/logging/checkpoints
          --connection    an Npgsql connection string to the database to check (read-only use)
          --public-key    a PEM public key (repeat it for keys rotated out); default .data/audit-checkpoint-key.pub.pem
        """;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        string? checkpoints = null, connection = null, generate = null;
        var keys = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--checkpoints" when value is not null: checkpoints = value; i++; break;
                case "--connection" when value is not null: connection = value; i++; break;
                case "--public-key" when value is not null: keys.Add(value); i++; break;
                case "--generate-key" when value is not null: generate = value; i++; break;
                default:
                    await error.WriteLineAsync($"unexpected argument '{args[i]}'\n{Help}");
                    return Usage;
            }
        }

        if (generate is not null)
        {
            return await GenerateAsync(generate, output);
        }

        if (checkpoints is null || connection is null)
        {
            await error.WriteLineAsync(Help);
            return Usage;
        }

        if (keys.Count == 0)
        {
            keys.Add(DefaultPublicKey);
        }

        List<CheckpointKey> loaded = [];
        try
        {
            loaded.AddRange(keys.Select(CheckpointKey.Load));
            var list = JsonSerializer.Deserialize<List<CheckpointView>>(await File.ReadAllTextAsync(checkpoints, ct), Json)
                ?? throw new InvalidDataException("the checkpoints file holds no JSON array");
            var report = await new CheckpointVerifier(connection).VerifyAsync(list, loaded, ct);
            await (report.Intact ? output : error).WriteLineAsync(report.Message);
            return report.Intact ? Intact : Tampered;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or JsonException or InvalidDataException or ArgumentException or Npgsql.NpgsqlException)
        {
            await error.WriteLineAsync($"cannot verify: {ex.Message}");
            return Usage;
        }
        finally
        {
            loaded.ForEach(k => k.Dispose());
        }
    }

    private static async Task<int> GenerateAsync(string path, TextWriter output)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        // Owner-only from the first byte: the private key must never be readable by others, even briefly.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var pem = CheckpointKey.GeneratePrivateKeyPem();
        await using (var file = new StreamWriter(new FileStream(path, options)))
        {
            await file.WriteAsync(pem);
        }

        using var key = CheckpointKey.FromPem(pem);
        var publicPath = PublicTwin(path);
        await File.WriteAllTextAsync(publicPath, key.PublicKeyPem);
        await output.WriteLineAsync($"wrote {path} and {publicPath} (key_id {key.KeyId})");
        return Intact;
    }

    /// <summary><c>x.pem</c> → <c>x.pub.pem</c>.</summary>
    public static string PublicTwin(string privateKeyPath) =>
        Path.ChangeExtension(privateKeyPath, null) + ".pub.pem";
}
