using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <summary>
    /// The lowest and highest ticket key (year * 10^12 + number) of each hour, kept with the statistics rollup, so that
    /// a date-range search can bound its walk of the list order to the tickets of those hours (ADR 0007). SQL only:
    /// the rollup tables are not in the EF model.
    /// </summary>
    [DbContext(typeof(MarketMakersDbContext))]
    [Migration("20261124050000_TicketHourBounds")]
    public partial class TicketHourBounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE ticket_stats_delta ADD COLUMN min_key bigint, ADD COLUMN max_key bigint;
                CREATE TABLE ticket_hour_bounds (
                    hour timestamptz NOT NULL,
                    min_key bigint NOT NULL,
                    max_key bigint NOT NULL,
                    CONSTRAINT pk_ticket_hour_bounds PRIMARY KEY (hour)
                );

                CREATE OR REPLACE FUNCTION record_ticket_stats() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO ticket_stats_delta (hour, action_type, status, user_id, tickets, min_key, max_key)
                    SELECT date_trunc('hour', n.timestamp, 'UTC'), n.action_type, n.status, n.user_id, count(*),
                           min(n.year * 1000000000000 + n.number), max(n.year * 1000000000000 + n.number)
                    FROM new_tickets n GROUP BY 1, 2, 3, 4;
                    RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION compact_ticket_stats() RETURNS bigint LANGUAGE plpgsql AS $$
                DECLARE moved_tickets bigint;
                BEGIN
                    IF NOT pg_try_advisory_xact_lock(84994505851220) THEN -- "MMSTAT"
                        RETURN 0;
                    END IF;
                    WITH moved AS (DELETE FROM ticket_stats_delta RETURNING hour, action_type, status, user_id, tickets, min_key, max_key),
                    h AS (
                        INSERT INTO ticket_stats_hourly AS s (hour, action_type, status, tickets)
                        SELECT hour, action_type, status, sum(tickets) FROM moved GROUP BY 1, 2, 3
                        ON CONFLICT (hour, action_type, status) DO UPDATE SET tickets = s.tickets + EXCLUDED.tickets),
                    uh AS (
                        INSERT INTO ticket_stats_user_hourly AS s (hour, user_id, tickets)
                        SELECT hour, user_id, sum(tickets) FROM moved WHERE user_id IS NOT NULL GROUP BY 1, 2
                        ON CONFLICT (hour, user_id) DO UPDATE SET tickets = s.tickets + EXCLUDED.tickets),
                    ud AS (
                        INSERT INTO ticket_stats_user_daily AS s (day, user_id, tickets)
                        SELECT date_trunc('day', hour, 'UTC'), user_id, sum(tickets) FROM moved WHERE user_id IS NOT NULL GROUP BY 1, 2
                        ON CONFLICT (day, user_id) DO UPDATE SET tickets = s.tickets + EXCLUDED.tickets),
                    hb AS (
                        INSERT INTO ticket_hour_bounds AS b (hour, min_key, max_key)
                        SELECT hour, min(min_key), max(max_key) FROM moved WHERE min_key IS NOT NULL GROUP BY 1
                        ON CONFLICT (hour) DO UPDATE SET min_key = least(b.min_key, EXCLUDED.min_key), max_key = greatest(b.max_key, EXCLUDED.max_key))
                    SELECT coalesce(sum(tickets), 0)::bigint INTO moved_tickets FROM moved;
                    RETURN moved_tickets;
                END $$;

                CREATE OR REPLACE FUNCTION rebuild_ticket_stats() RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    LOCK TABLE ticket_logs IN SHARE MODE;
                    TRUNCATE ticket_stats_delta, ticket_stats_hourly, ticket_stats_user_hourly, ticket_stats_user_daily, ticket_hour_bounds;
                    INSERT INTO ticket_stats_hourly (hour, action_type, status, tickets)
                    SELECT date_trunc('hour', timestamp, 'UTC'), action_type, status, count(*) FROM ticket_logs GROUP BY 1, 2, 3;
                    INSERT INTO ticket_stats_user_hourly (hour, user_id, tickets)
                    SELECT date_trunc('hour', timestamp, 'UTC'), user_id, count(*) FROM ticket_logs WHERE user_id IS NOT NULL GROUP BY 1, 2;
                    INSERT INTO ticket_stats_user_daily (day, user_id, tickets)
                    SELECT date_trunc('day', hour, 'UTC'), user_id, sum(tickets) FROM ticket_stats_user_hourly GROUP BY 1, 2;
                    INSERT INTO ticket_hour_bounds (hour, min_key, max_key)
                    SELECT date_trunc('hour', timestamp, 'UTC'), min(year * 1000000000000 + number), max(year * 1000000000000 + number)
                    FROM ticket_logs GROUP BY 1;
                END $$;

                SELECT rebuild_ticket_stats();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION record_ticket_stats() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO ticket_stats_delta (hour, action_type, status, user_id, tickets)
                    SELECT date_trunc('hour', n.timestamp, 'UTC'), n.action_type, n.status, n.user_id, count(*)
                    FROM new_tickets n GROUP BY 1, 2, 3, 4;
                    RETURN NULL;
                END $$;
                CREATE OR REPLACE FUNCTION compact_ticket_stats() RETURNS bigint LANGUAGE plpgsql AS $$
                DECLARE moved_tickets bigint;
                BEGIN
                    IF NOT pg_try_advisory_xact_lock(84994505851220) THEN
                        RETURN 0;
                    END IF;
                    WITH moved AS (DELETE FROM ticket_stats_delta RETURNING hour, action_type, status, user_id, tickets),
                    h AS (
                        INSERT INTO ticket_stats_hourly AS s (hour, action_type, status, tickets)
                        SELECT hour, action_type, status, sum(tickets) FROM moved GROUP BY 1, 2, 3
                        ON CONFLICT (hour, action_type, status) DO UPDATE SET tickets = s.tickets + EXCLUDED.tickets),
                    uh AS (
                        INSERT INTO ticket_stats_user_hourly AS s (hour, user_id, tickets)
                        SELECT hour, user_id, sum(tickets) FROM moved WHERE user_id IS NOT NULL GROUP BY 1, 2
                        ON CONFLICT (hour, user_id) DO UPDATE SET tickets = s.tickets + EXCLUDED.tickets),
                    ud AS (
                        INSERT INTO ticket_stats_user_daily AS s (day, user_id, tickets)
                        SELECT date_trunc('day', hour, 'UTC'), user_id, sum(tickets) FROM moved WHERE user_id IS NOT NULL GROUP BY 1, 2
                        ON CONFLICT (day, user_id) DO UPDATE SET tickets = s.tickets + EXCLUDED.tickets)
                    SELECT coalesce(sum(tickets), 0)::bigint INTO moved_tickets FROM moved;
                    RETURN moved_tickets;
                END $$;
                CREATE OR REPLACE FUNCTION rebuild_ticket_stats() RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    LOCK TABLE ticket_logs IN SHARE MODE;
                    TRUNCATE ticket_stats_delta, ticket_stats_hourly, ticket_stats_user_hourly, ticket_stats_user_daily;
                    INSERT INTO ticket_stats_hourly (hour, action_type, status, tickets)
                    SELECT date_trunc('hour', timestamp, 'UTC'), action_type, status, count(*) FROM ticket_logs GROUP BY 1, 2, 3;
                    INSERT INTO ticket_stats_user_hourly (hour, user_id, tickets)
                    SELECT date_trunc('hour', timestamp, 'UTC'), user_id, count(*) FROM ticket_logs WHERE user_id IS NOT NULL GROUP BY 1, 2;
                    INSERT INTO ticket_stats_user_daily (day, user_id, tickets)
                    SELECT date_trunc('day', hour, 'UTC'), user_id, sum(tickets) FROM ticket_stats_user_hourly GROUP BY 1, 2;
                END $$;
                DROP TABLE ticket_hour_bounds;
                ALTER TABLE ticket_stats_delta DROP COLUMN min_key, DROP COLUMN max_key;
                """);
        }
    }
}
