using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <summary>
    /// Combined ticket filters (issue 18): the list-order and equality-led indexes carry the other filters' columns
    /// (index-only walks), and one GIN index over every equality filter and the tags (btree_gin, a trusted contrib
    /// extension) replaces the GIN index on tags. Same number of indexes on ticket_logs as before.
    /// </summary>
    public partial class CombinedTicketSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS btree_gin;");
            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_action_type_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_entity_type_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_market_maker_id_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_status_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_tags",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_user_id_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_year_number",
                table: "ticket_logs");

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_action_type_year_number",
                table: "ticket_logs",
                columns: new[] { "action_type", "year", "number" })
                .Annotation("Npgsql:IndexInclude", new[] { "tags", "timestamp", "status", "entity_type", "market_maker_id", "user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_entity_type_year_number",
                table: "ticket_logs",
                columns: new[] { "entity_type", "year", "number" })
                .Annotation("Npgsql:IndexInclude", new[] { "tags", "timestamp", "action_type", "status", "market_maker_id", "user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_filters",
                table: "ticket_logs",
                columns: new[] { "action_type", "entity_type", "status", "market_maker_id", "user_id", "tags" })
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_market_maker_id_year_number",
                table: "ticket_logs",
                columns: new[] { "market_maker_id", "year", "number" },
                filter: "market_maker_id IS NOT NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "tags", "timestamp", "action_type", "status", "entity_type", "user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_status_year_number",
                table: "ticket_logs",
                columns: new[] { "status", "year", "number" })
                .Annotation("Npgsql:IndexInclude", new[] { "tags", "timestamp", "action_type", "entity_type", "market_maker_id", "user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_user_id_year_number",
                table: "ticket_logs",
                columns: new[] { "user_id", "year", "number" })
                .Annotation("Npgsql:IndexInclude", new[] { "tags", "timestamp", "action_type", "status", "entity_type", "market_maker_id" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_year_number",
                table: "ticket_logs",
                columns: new[] { "year", "number" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "tags", "timestamp", "action_type", "status", "entity_type", "market_maker_id", "user_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_action_type_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_entity_type_year_number",
                table: "ticket_logs");

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_filters",
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

            migrationBuilder.DropIndex(
                name: "ix_ticket_logs_year_number",
                table: "ticket_logs");

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_action_type_year_number",
                table: "ticket_logs",
                columns: new[] { "action_type", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_entity_type_year_number",
                table: "ticket_logs",
                columns: new[] { "entity_type", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_market_maker_id_year_number",
                table: "ticket_logs",
                columns: new[] { "market_maker_id", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_status_year_number",
                table: "ticket_logs",
                columns: new[] { "status", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_tags",
                table: "ticket_logs",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_user_id_year_number",
                table: "ticket_logs",
                columns: new[] { "user_id", "year", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_logs_year_number",
                table: "ticket_logs",
                columns: new[] { "year", "number" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "tags" });
        }
    }
}
