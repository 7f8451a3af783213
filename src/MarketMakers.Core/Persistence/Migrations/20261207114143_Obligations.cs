using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Obligations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "obligations",
                columns: table => new
                {
                    market_maker_id = table.Column<Guid>(type: "uuid", nullable: false),
                    certificate_type = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    max_spread = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    min_quantity = table.Column<long>(type: "bigint", nullable: false),
                    min_presence_pct = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_obligations", x => new { x.market_maker_id, x.certificate_type });
                    table.CheckConstraint("ck_obligations_certificate_type", "certificate_type IN ('CEA', 'EUA')");
                    table.CheckConstraint("ck_obligations_terms", "max_spread > 0 AND min_quantity >= 1 AND min_presence_pct > 0 AND min_presence_pct <= 100");
                    table.ForeignKey(
                        name: "fk_obligations_market_maker_clients_market_maker_id",
                        column: x => x.market_maker_id,
                        principalTable: "market_maker_clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_obligations_users_updated_by",
                        column: x => x.updated_by,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "obligation_samples",
                columns: table => new
                {
                    market_maker_id = table.Column<Guid>(type: "uuid", nullable: false),
                    certificate_type = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    sampled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    present = table.Column<bool>(type: "boolean", nullable: false),
                    best_bid = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    best_ask = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    spread = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    bid_quantity = table.Column<long>(type: "bigint", nullable: false),
                    ask_quantity = table.Column<long>(type: "bigint", nullable: false),
                    max_spread = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    min_quantity = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_obligation_samples", x => new { x.market_maker_id, x.certificate_type, x.sampled_at });
                    table.CheckConstraint("ck_obligation_samples_quantities", "bid_quantity >= 0 AND ask_quantity >= 0");
                    table.ForeignKey(
                        name: "fk_obligation_samples_obligations_market_maker_id_certificate_",
                        columns: x => new { x.market_maker_id, x.certificate_type },
                        principalTable: "obligations",
                        principalColumns: new[] { "market_maker_id", "certificate_type" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_mm_open_book",
                table: "orders",
                columns: new[] { "market_maker_id", "certificate_type", "side", "price" },
                filter: "status IN ('OPEN', 'PARTIALLY_FILLED') AND market_maker_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_obligations_active",
                table: "obligations",
                column: "market_maker_id",
                filter: "active");

            migrationBuilder.CreateIndex(
                name: "ix_obligations_updated_by",
                table: "obligations",
                column: "updated_by");

            // Samples are evidence for market surveillance: never updated or deleted.
            AppendOnly.Protect(migrationBuilder, "obligation_samples");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "obligation_samples");

            migrationBuilder.DropTable(
                name: "obligations");

            migrationBuilder.DropIndex(
                name: "ix_orders_mm_open_book",
                table: "orders");
        }
    }
}
