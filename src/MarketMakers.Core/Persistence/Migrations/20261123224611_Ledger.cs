using System;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Ledger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "holders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_holders", x => x.id);
                    table.CheckConstraint("ck_holders_kind", "kind IN ('MARKET_MAKER', 'CLIENT_ENTITY')");
                });

            migrationBuilder.CreateTable(
                name: "asset_transactions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    ticket_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    holder_id = table.Column<Guid>(type: "uuid", nullable: false),
                    asset = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    transaction_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: false),
                    balance_after = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: false),
                    notes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_by = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asset_transactions", x => x.id);
                    table.CheckConstraint("ck_asset_transactions_asset", "asset IN ('CEA', 'EUA', 'EUR')");
                    table.CheckConstraint("ck_asset_transactions_balance_after", "balance_after >= 0");
                    table.CheckConstraint("ck_asset_transactions_type", "transaction_type IN ('DEPOSIT', 'WITHDRAWAL', 'TRADE_DEBIT', 'TRADE_CREDIT')");
                    table.ForeignKey(
                        name: "fk_asset_transactions_holders_holder_id",
                        column: x => x.holder_id,
                        principalTable: "holders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_asset_transactions_users_created_by",
                        column: x => x.created_by,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "balances",
                columns: table => new
                {
                    holder_id = table.Column<Guid>(type: "uuid", nullable: false),
                    asset = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    available = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: false),
                    locked = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_balances", x => new { x.holder_id, x.asset });
                    table.CheckConstraint("ck_balances_asset", "asset IN ('CEA', 'EUA', 'EUR')");
                    table.CheckConstraint("ck_balances_non_negative", "available >= 0 AND locked >= 0");
                    table.ForeignKey(
                        name: "fk_balances_holders_holder_id",
                        column: x => x.holder_id,
                        principalTable: "holders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "market_maker_clients",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_market_maker_clients", x => x.id);
                    table.ForeignKey(
                        name: "fk_market_maker_clients_holders_id",
                        column: x => x.id,
                        principalTable: "holders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_market_maker_clients_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_asset_transactions_created_by",
                table: "asset_transactions",
                column: "created_by");

            migrationBuilder.CreateIndex(
                name: "ix_asset_transactions_holder_id_asset_id",
                table: "asset_transactions",
                columns: new[] { "holder_id", "asset", "id" },
                descending: new[] { false, false, true });

            migrationBuilder.CreateIndex(
                name: "ix_asset_transactions_ticket_id",
                table: "asset_transactions",
                column: "ticket_id");

            migrationBuilder.CreateIndex(
                name: "ix_market_maker_clients_created_at",
                table: "market_maker_clients",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_market_maker_clients_email",
                table: "market_maker_clients",
                column: "email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_market_maker_clients_user_id",
                table: "market_maker_clients",
                column: "user_id",
                unique: true);

            // Ledger rows are history: the database itself refuses UPDATE, DELETE and TRUNCATE (SPEC §3).
            AppendOnly.Protect(migrationBuilder, "asset_transactions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnly.Unprotect(migrationBuilder, "asset_transactions");
            migrationBuilder.DropTable(
                name: "asset_transactions");

            migrationBuilder.DropTable(
                name: "balances");

            migrationBuilder.DropTable(
                name: "market_maker_clients");

            migrationBuilder.DropTable(
                name: "holders");
        }
    }
}
