using System.Text.Json;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Risk;

/// <summary>
/// The kill switch. Each instrument is one business action of its own, in lock order: under the
/// <see cref="InstrumentLock"/> (so no placement can commit in between) the matching open orders are read, their balance
/// rows locked, and each is cancelled with its own cancel ticket, linked both ways to the instrument's MASS_CANCEL ticket.
/// One transaction per instrument keeps a lock on one book only, never both at once, so the other book keeps trading
/// while the first is swept. An idempotency key is split per instrument (key + ":" + certificate type): a retry after a
/// failure half-way replays the instruments that committed and runs the rest, and answers as the first run would have.
/// </summary>
public sealed class MassCancelService(BusinessActionRunner runner, IDbContextFactory<MarketMakersDbContext> dbFactory, IOrderBookNotifier notifier)
{
    public const string CancelledByMassCancel = "Cancelled by a mass cancel.";

    public async Task<Audited<MassCancelResult>> CancelAllAsync(CancelAllOrders command, CancellationToken cancellationToken = default)
    {
        var cancelled = 0;
        var tickets = new List<string>();
        var replayedAll = true;
        foreach (var instrument in command.Instruments)
        {
            var outcome = await CancelInstrumentAsync(command, instrument, cancellationToken);
            cancelled += outcome.Cancelled;
            tickets.Add(outcome.TicketId);
            replayedAll &= outcome.Replayed;
        }

        var result = new MassCancelResult(cancelled, tickets);
        return replayedAll && command.Idempotency is { } key
            ? Audited<MassCancelResult>.Replayed(new StoredResponse(200, key.RenderResponse(result, tickets[0]), tickets[0]))
            : new Audited<MassCancelResult>(result, tickets[0]);
    }

    /// <summary>How many open orders a cancel-all with this filter would cancel now (for the confirmation).</summary>
    public async Task<int> CountOpenAsync(MarketMakerId? marketMaker, CertificateType? certificate, OrderSide? side = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Matching(db.Orders.AsNoTracking(), marketMaker, certificate, side).CountAsync(cancellationToken);
    }

    private async Task<InstrumentOutcome> CancelInstrumentAsync(CancelAllOrders command, CertificateType instrument, CancellationToken cancellationToken)
    {
        var draft = command.Draft(instrument);
        var key = command.Idempotency is { } k
            ? new IdempotencyRequest(k.Scope, k.Key + ":" + instrument.Value, k.RequestHash, RenderInstrument)
            : null;
        var result = await runner.RunAsync(draft, key, async scope =>
        {
            if (command.MarketMaker is { } mm && !await scope.Db.MarketMakers.AnyAsync(m => m.Id == mm.Value, cancellationToken))
            {
                throw DomainException.NotFound($"Market Maker {mm} not found.");
            }

            await InstrumentLock.AcquireAsync(scope.Db, instrument, cancellationToken);

            // Under the lock every placement of this book that took an order sequence has committed, and every later one
            // takes a greater one: the ticket states exactly which orders "before the kill switch" means.
            var asOf = await scope.Db.Database.SqlQueryRaw<long>("SELECT last_value AS \"Value\" FROM orders_sequence_seq").SingleAsync(cancellationToken);
            var orders = await Matching(scope.Db.Orders.AsTracking(), command.MarketMaker, instrument, command.Side)
                .OrderBy(o => o.Sequence).ToListAsync(cancellationToken);
            var cancelled = await BulkCancellation.CancelWithTicketsAsync(scope, orders, CancelledByMassCancel, "mass_cancel", cancellationToken);
            draft.After = new
            {
                count = cancelled.Count,
                order_ids = cancelled.Select(c => c.OrderId),
                cancelled_ticket_ids = cancelled.Select(c => c.TicketId),
                as_of_order_sequence = asOf,
            };
            return new InstrumentCancel(cancelled.Count);
        }, cancellationToken);
        if (result.Replay is { } replay)
        {
            using var stored = JsonDocument.Parse(replay.Body);
            return new InstrumentOutcome(stored.RootElement.GetProperty("cancelled").GetInt32(), result.TicketId, true);
        }

        if (result.Value.Cancelled > 0)
        {
            await notifier.PublishAsync(instrument.Value, CancellationToken.None);
        }

        return new InstrumentOutcome(result.Value.Cancelled, result.TicketId, false);
    }

    private static IQueryable<Order> Matching(IQueryable<Order> orders, MarketMakerId? marketMaker, CertificateType? certificate, OrderSide? side)
    {
        var query = orders.Where(o => o.Status == OrderStatus.Open || o.Status == OrderStatus.PartiallyFilled);
        if (marketMaker is { } mm)
        {
            query = query.Where(o => o.MarketMakerId == mm.Value);
        }

        if (certificate is not null)
        {
            query = query.Where(o => o.CertificateType == certificate);
        }

        if (side is not null)
        {
            query = query.Where(o => o.Side == side);
        }

        return query;
    }

    /// <summary>What an instrument's key stores: enough to rebuild the combined answer on a retry.</summary>
    private static string RenderInstrument(object? value, string ticketId) =>
        JsonSerializer.Serialize(new { cancelled = ((InstrumentCancel)value!).Cancelled, ticket_id = ticketId });

    private sealed record InstrumentCancel(int Cancelled);

    private sealed record InstrumentOutcome(int Cancelled, string TicketId, bool Replayed);
}
