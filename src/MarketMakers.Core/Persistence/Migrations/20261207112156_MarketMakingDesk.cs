using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MarketMakingDesk : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "owner_group",
                table: "market_maker_clients",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "balance_history",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    holder_id = table.Column<Guid>(type: "uuid", nullable: false),
                    asset = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    available = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: false),
                    locked = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_balance_history", x => x.id);
                    table.ForeignKey(
                        name: "fk_balance_history_holders_holder_id",
                        column: x => x.holder_id,
                        principalTable: "holders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_balance_history_holder_id_asset_changed_at_id",
                table: "balance_history",
                columns: new[] { "holder_id", "asset", "changed_at", "id" },
                descending: new[] { false, false, true, true });

            // The trigger that fills balance_history and its append-only guard: SQL that EF does not generate.
            MarketMakers.Core.Statements.BalanceHistorySql.Create(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            MarketMakers.Core.Statements.BalanceHistorySql.Drop(migrationBuilder);
            migrationBuilder.DropTable(
                name: "balance_history");

            migrationBuilder.DropColumn(
                name: "owner_group",
                table: "market_maker_clients");
        }
    }
}
