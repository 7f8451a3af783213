using System.Globalization;
using Npgsql;

namespace MarketMakers.Bench;

/// <summary>
/// CPU time from /proc/&lt;pid&gt;/stat (utime + stime, fields 14 and 15, in clock ticks of 10 ms): the app's process,
/// the PostgreSQL backends connected to the bench database (from pg_stat_activity, the bench's own connection
/// excluded), and every postgres process on the server (which includes the other databases on this shared server:
/// an upper bound, not the bench's figure).
/// </summary>
internal sealed record CpuSample(double AppMs, Dictionary<int, double> BackendMs, double AllPostgresMs)
{
    private const double MsPerTick = 10; // USER_HZ is 100 on Linux

    public static async Task<CpuSample> TakeAsync(int appPid, NpgsqlConnection probe, string database)
    {
        var backends = new Dictionary<int, double>();
        await using (var cmd = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()", probe))
        {
            cmd.Parameters.AddWithValue("db", database);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                backends[reader.GetInt32(0)] = 0;
            }
        }

        foreach (var pid in backends.Keys.ToList())
        {
            backends[pid] = Ms(pid) ?? 0;
        }

        var allPostgres = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Comm(pid) == "postgres")
            .Sum(pid => Ms(pid) ?? 0);
        return new CpuSample(Ms(appPid) ?? 0, backends, allPostgres);
    }

    /// <summary>CPU ms the bench database's backends used between the samples; a backend that ended in between is lost (counted).</summary>
    public static (double Ms, int Lost) BackendDelta(CpuSample before, CpuSample after)
    {
        var ms = after.BackendMs.Sum(b => b.Value - before.BackendMs.GetValueOrDefault(b.Key));
        return (ms, before.BackendMs.Keys.Count(pid => !after.BackendMs.ContainsKey(pid)));
    }

    private static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double? Ms(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces: count fields from the closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * MsPerTick;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
