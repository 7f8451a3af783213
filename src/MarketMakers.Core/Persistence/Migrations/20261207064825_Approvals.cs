using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Approvals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The approval's ledger row is asset_transactions.id (bigint). uuid does not cast to bigint, and no request
            // can have been approved before this migration, so the column is recreated.
            migrationBuilder.DropColumn(name: "transaction_id", table: "movement_requests");
            migrationBuilder.AddColumn<long>(name: "transaction_id", table: "movement_requests", type: "bigint", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "transaction_id", table: "movement_requests");
            migrationBuilder.AddColumn<Guid>(name: "transaction_id", table: "movement_requests", type: "uuid", nullable: true);
        }
    }
}
