using Npgsql;

namespace MarketMakers.Core.Persistence;

/// <summary>
/// A server at max_connections refuses a new connection ("sorry, too many clients already") until another one
/// closes, usually within moments. The refusal comes before anything is sent, so opening again is always safe;
/// without it an action whose fresh connection was refused could not even write its FAILED ticket, and the caller
/// got a 500 with no ticket id.
/// </summary>
internal static class ConnectionRefusals
{
    // About 2.3 s in all: longer than the refusal bursts seen when several test suites shared one server, short
    // enough that a server that stays full still fails the request quickly.
    private static readonly TimeSpan[] Backoff =
        [.. new[] { 25, 50, 100, 200, 400, 500, 500, 500 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    public static bool IsRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is PostgresException { SqlState: PostgresErrorCodes.TooManyConnections })
            {
                return true;
            }
        }

        return false;
    }

    public static Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        RetryAsync(() => dataSource.OpenConnectionAsync(cancellationToken).AsTask(), cancellationToken);

    /// <summary>
    /// Runs <paramref name="operation"/> again while its connection is refused. Only for an operation that opens its
    /// connection first (a transaction's BEGIN, a SaveChanges on a fresh context): a refusal then means nothing ran.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (Exception ex) when (attempt < Backoff.Length && IsRefusal(ex))
            {
                await Task.Delay(Backoff[attempt], cancellationToken);
            }
        }
    }
}
