using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Orders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "client_entities",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_client_entities", x => x.id);
                    table.ForeignKey(
                        name: "fk_client_entities_holders_id",
                        column: x => x.id,
                        principalTable: "holders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "orders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    holder_id = table.Column<Guid>(type: "uuid", nullable: false),
                    certificate_type = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    side = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    order_type = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    price = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    quantity = table.Column<long>(type: "bigint", nullable: false),
                    filled_quantity = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    market_maker_id = table.Column<Guid>(type: "uuid", nullable: true),
                    ticket_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    cancel_reason = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orders", x => x.id);
                    table.CheckConstraint("ck_orders_certificate_type", "certificate_type IN ('CEA', 'EUA')");
                    table.CheckConstraint("ck_orders_filled", "filled_quantity >= 0 AND filled_quantity <= quantity");
                    table.CheckConstraint("ck_orders_price", "price > 0");
                    table.CheckConstraint("ck_orders_quantity", "quantity > 0");
                    table.CheckConstraint("ck_orders_side", "side IN ('BUY', 'SELL')");
                    table.CheckConstraint("ck_orders_status", "status IN ('OPEN', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED')");
                    table.CheckConstraint("ck_orders_type", "order_type = 'LIMIT'");
                    table.ForeignKey(
                        name: "fk_orders_holders_holder_id",
                        column: x => x.holder_id,
                        principalTable: "holders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_orders_market_maker_clients_market_maker_id",
                        column: x => x.market_maker_id,
                        principalTable: "market_maker_clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "cash_market_trades",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    buy_order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sell_order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    buyer_holder_id = table.Column<Guid>(type: "uuid", nullable: false),
                    seller_holder_id = table.Column<Guid>(type: "uuid", nullable: false),
                    market_maker_id = table.Column<Guid>(type: "uuid", nullable: true),
                    ticket_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    certificate_type = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    price = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    quantity = table.Column<long>(type: "bigint", nullable: false),
                    executed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cash_market_trades", x => x.id);
                    table.CheckConstraint("ck_trades_parties", "buyer_holder_id <> seller_holder_id");
                    table.CheckConstraint("ck_trades_price", "price > 0");
                    table.CheckConstraint("ck_trades_quantity", "quantity > 0");
                    table.ForeignKey(
                        name: "fk_cash_market_trades_holders_buyer_holder_id",
                        column: x => x.buyer_holder_id,
                        principalTable: "holders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cash_market_trades_holders_seller_holder_id",
                        column: x => x.seller_holder_id,
                        principalTable: "holders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cash_market_trades_market_maker_clients_market_maker_id",
                        column: x => x.market_maker_id,
                        principalTable: "market_maker_clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cash_market_trades_orders_buy_order_id",
                        column: x => x.buy_order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cash_market_trades_orders_sell_order_id",
                        column: x => x.sell_order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cash_market_trades_buy_order_id",
                table: "cash_market_trades",
                column: "buy_order_id");

            migrationBuilder.CreateIndex(
                name: "ix_cash_market_trades_buyer_holder_id_executed_at",
                table: "cash_market_trades",
                columns: new[] { "buyer_holder_id", "executed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cash_market_trades_certificate_type_executed_at",
                table: "cash_market_trades",
                columns: new[] { "certificate_type", "executed_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_cash_market_trades_market_maker_id_executed_at",
                table: "cash_market_trades",
                columns: new[] { "market_maker_id", "executed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cash_market_trades_sell_order_id",
                table: "cash_market_trades",
                column: "sell_order_id");

            migrationBuilder.CreateIndex(
                name: "ix_cash_market_trades_seller_holder_id_executed_at",
                table: "cash_market_trades",
                columns: new[] { "seller_holder_id", "executed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_client_entities_created_at",
                table: "client_entities",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_orders_holder_id_created_at",
                table: "orders",
                columns: new[] { "holder_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_market_maker_id_created_at",
                table: "orders",
                columns: new[] { "market_maker_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_open_book",
                table: "orders",
                columns: new[] { "certificate_type", "side", "price", "sequence" },
                filter: "status IN ('OPEN', 'PARTIALLY_FILLED')");

            migrationBuilder.CreateIndex(
                name: "ix_orders_sequence",
                table: "orders",
                column: "sequence",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cash_market_trades");

            migrationBuilder.DropTable(
                name: "client_entities");

            migrationBuilder.DropTable(
                name: "orders");
        }
    }
}
