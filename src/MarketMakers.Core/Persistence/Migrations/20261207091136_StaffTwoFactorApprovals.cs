using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StaffTwoFactorApprovals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "is_active",
                table: "users",
                // Every existing account stays usable; only an explicit deactivation turns this off.
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_two_factor_code_at",
                table: "users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_two_factor_code_hash",
                table: "users",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "must_change_password",
                table: "users",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "movement_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    holder_id = table.Column<Guid>(type: "uuid", nullable: false),
                    market_maker_id = table.Column<Guid>(type: "uuid", nullable: true),
                    asset = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    transaction_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: false),
                    notes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    requested_by = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_by = table.Column<Guid>(type: "uuid", nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    request_ticket_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    decision_ticket_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    transaction_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_movement_requests", x => x.id);
                    table.CheckConstraint("ck_movement_requests_amount_positive", "amount > 0");
                    table.CheckConstraint("ck_movement_requests_status", "status IN ('PENDING','APPROVED','REJECTED','EXPIRED','FAILED')");
                    table.CheckConstraint("ck_movement_requests_type", "transaction_type IN ('DEPOSIT','WITHDRAWAL')");
                    table.ForeignKey(
                        name: "fk_movement_requests_holders_holder_id",
                        column: x => x.holder_id,
                        principalTable: "holders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_movement_requests_users_decided_by",
                        column: x => x.decided_by,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_movement_requests_users_requested_by",
                        column: x => x.requested_by,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "revoked_sessions",
                columns: table => new
                {
                    session_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_revoked_sessions", x => x.session_id);
                    table.ForeignKey(
                        name: "fk_revoked_sessions_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_movement_requests_decided_by",
                table: "movement_requests",
                column: "decided_by");

            migrationBuilder.CreateIndex(
                name: "ix_movement_requests_expires_at",
                table: "movement_requests",
                column: "expires_at",
                filter: "status = 'PENDING'");

            migrationBuilder.CreateIndex(
                name: "ix_movement_requests_holder_id",
                table: "movement_requests",
                column: "holder_id");

            migrationBuilder.CreateIndex(
                name: "ix_movement_requests_requested_by",
                table: "movement_requests",
                column: "requested_by");

            migrationBuilder.CreateIndex(
                name: "ix_movement_requests_status_requested_at",
                table: "movement_requests",
                columns: new[] { "status", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "ix_revoked_sessions_user_id",
                table: "revoked_sessions",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "movement_requests");

            migrationBuilder.DropTable(
                name: "revoked_sessions");

            migrationBuilder.DropColumn(
                name: "is_active",
                table: "users");

            migrationBuilder.DropColumn(
                name: "last_two_factor_code_at",
                table: "users");

            migrationBuilder.DropColumn(
                name: "last_two_factor_code_hash",
                table: "users");

            migrationBuilder.DropColumn(
                name: "must_change_password",
                table: "users");
        }
    }
}
