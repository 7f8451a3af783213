using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TicketStatsRollup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_entity_type_entity_id_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_year_number",
                table: "ticket_logs");

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_entity_id_year_number",
                table: "ticket_logs",
                columns: new[] { "entity_id", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_entity_type_year_number",
                table: "ticket_logs",
                columns: new[] { "entity_type", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_year_number",
                table: "ticket_logs",
                columns: new[] { "year", "number" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "tags" });

            // The statistics rollup of ADR 0007: derived counts for GET /logging/stats, never audit evidence.
            // Writers only ever INSERT into ticket_stats_delta (in the inserting transaction, so a rolled-back ticket
            // is never counted and a committed one always is); no writer updates a shared counter row, so 1,000
            // tickets/s do not queue on one row lock. A background pass (compact_ticket_stats) folds the delta into
            // hourly rows; readers add hourly rows, the not yet folded delta and the raw tickets of the partial hours
            // at the range edges, in one snapshot.
            migrationBuilder.Sql("""
                CREATE TABLE ticket_stats_delta (
                    hour timestamptz NOT NULL,
                    action_type varchar(64) NOT NULL,
                    status varchar(16) NOT NULL,
                    user_id uuid,
                    tickets bigint NOT NULL
                );
                CREATE TABLE ticket_stats_hourly (
                    hour timestamptz NOT NULL,
                    action_type varchar(64) NOT NULL,
                    status varchar(16) NOT NULL,
                    tickets bigint NOT NULL,
                    CONSTRAINT pk_ticket_stats_hourly PRIMARY KEY (hour, action_type, status)
                );
                -- Users get hourly rows (for the partial days at the range edges) and daily rows (for whole days):
                -- with hundreds of active users an hour, hourly user rows alone would be nearly as many as tickets.
                CREATE TABLE ticket_stats_user_hourly (
                    hour timestamptz NOT NULL,
                    user_id uuid NOT NULL,
                    tickets bigint NOT NULL,
                    CONSTRAINT pk_ticket_stats_user_hourly PRIMARY KEY (hour, user_id)
                );
                CREATE TABLE ticket_stats_user_daily (
                    day timestamptz NOT NULL,
                    user_id uuid NOT NULL,
                    tickets bigint NOT NULL,
                    CONSTRAINT pk_ticket_stats_user_daily PRIMARY KEY (day, user_id)
                );

                -- Per statement, not per row: a batched insert of many tickets adds one delta row per group.
                CREATE FUNCTION record_ticket_stats() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO ticket_stats_delta (hour, action_type, status, user_id, tickets)
                    SELECT date_trunc('hour', n.timestamp, 'UTC'), n.action_type, n.status, n.user_id, count(*)
                    FROM new_tickets n GROUP BY 1, 2, 3, 4;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER ticket_logs_stats AFTER INSERT ON ticket_logs
                    REFERENCING NEW TABLE AS new_tickets FOR EACH STATEMENT EXECUTE FUNCTION record_ticket_stats();

                -- Moves every committed delta row into the rollup, atomically. DELETE ... RETURNING only takes rows
                -- committed before it, and a concurrent pass skips rows this one deleted, so nothing is counted twice;
                -- the advisory lock keeps two instances from upserting the same rows in opposite orders (deadlock).
                CREATE FUNCTION compact_ticket_stats() RETURNS bigint LANGUAGE plpgsql AS $$
                DECLARE moved_tickets bigint;
                BEGIN
                    IF NOT pg_try_advisory_xact_lock(84994505851220) THEN -- "MMSTAT"
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

                -- Recounts the rollup from ticket_logs: the backfill below, and the repair after a bulk load that ran
                -- with triggers off. SHARE blocks ticket inserts meanwhile, so none is missed or counted twice.
                CREATE FUNCTION rebuild_ticket_stats() RETURNS void LANGUAGE plpgsql AS $$
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

                SELECT rebuild_ticket_stats();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS ticket_logs_stats ON ticket_logs;
                DROP FUNCTION IF EXISTS record_ticket_stats();
                DROP FUNCTION IF EXISTS compact_ticket_stats();
                DROP FUNCTION IF EXISTS rebuild_ticket_stats();
                DROP TABLE IF EXISTS ticket_stats_delta, ticket_stats_hourly, ticket_stats_user_hourly, ticket_stats_user_daily;
                """);

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_entity_id_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_entity_type_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_year_number",
                table: "ticket_logs");

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_entity_type_entity_id_year_number",
                table: "ticket_logs",
                columns: new[] { "entity_type", "entity_id", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_year_number",
                table: "ticket_logs",
                columns: new[] { "year", "number" },
                unique: true);
        }
    }
}
