using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TicketSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_action_type_timestamp",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_entity_type_entity_id",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_market_maker_id_timestamp",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_status_timestamp",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_user_id_timestamp",
                table: "ticket_logs");

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_action_type_year_number",
                table: "ticket_logs",
                columns: new[] { "action_type", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_entity_type_entity_id_year_number",
                table: "ticket_logs",
                columns: new[] { "entity_type", "entity_id", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_market_maker_id_year_number",
                table: "ticket_logs",
                columns: new[] { "market_maker_id", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_status_year_number",
                table: "ticket_logs",
                columns: new[] { "status", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_user_id_year_number",
                table: "ticket_logs",
                columns: new[] { "user_id", "year", "number" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_action_type_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_entity_type_entity_id_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_market_maker_id_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_status_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_user_id_year_number",
                table: "ticket_logs");

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_action_type_timestamp",
                table: "ticket_logs",
                columns: new[] { "action_type", "timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_entity_type_entity_id",
                table: "ticket_logs",
                columns: new[] { "entity_type", "entity_id" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_market_maker_id_timestamp",
                table: "ticket_logs",
                columns: new[] { "market_maker_id", "timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_status_timestamp",
                table: "ticket_logs",
                columns: new[] { "status", "timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_user_id_timestamp",
                table: "ticket_logs",
                columns: new[] { "user_id", "timestamp" });
        }
    }
}
