using System;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ticket_seals",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false),
                    ticket_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ticket_digest = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    chain_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    sealed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ticket_seals", x => x.seq);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_seals_ticket_id",
                table: "ticket_seals",
                column: "ticket_id",
                unique: true);

            AppendOnly.Protect(migrationBuilder, "ticket_seals");

            // The sealer's work queue, filled by the database itself in the inserting transaction, so only
            // committed tickets are ever queued and none can be missed however late it commits.
            migrationBuilder.Sql("""
                CREATE TABLE ticket_seal_queue (ticket_id varchar(32) PRIMARY KEY);
                INSERT INTO ticket_seal_queue (ticket_id) SELECT ticket_id FROM ticket_logs;
                CREATE FUNCTION queue_ticket_for_sealing() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO ticket_seal_queue (ticket_id) VALUES (NEW.ticket_id);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER ticket_logs_queue_seal AFTER INSERT ON ticket_logs
                    FOR EACH ROW EXECUTE FUNCTION queue_ticket_for_sealing();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS ticket_logs_queue_seal ON ticket_logs;
                DROP FUNCTION IF EXISTS queue_ticket_for_sealing();
                DROP TABLE IF EXISTS ticket_seal_queue;
                """);
            AppendOnly.Unprotect(migrationBuilder, "ticket_seals");
            migrationBuilder.DropTable(
                name: "ticket_seals");
        }
    }
}
