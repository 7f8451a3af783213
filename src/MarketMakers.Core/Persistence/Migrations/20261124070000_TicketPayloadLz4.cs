using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MarketMakers.Core.Persistence.Migrations
{
    /// <summary>
    /// Compresses the four JSON payload columns of new tickets with lz4 instead of PostgreSQL's default pglz. A
    /// TRADE_EXECUTED ticket is about 3 kB of text, above the 2 kB at which PostgreSQL compresses a row, and pglz was
    /// the largest single server-side cost that auditing added to an order batch (perf, ADR 0009 fourth pass). In
    /// pgbench, 32 such tickets per INSERT took 1.48–1.97 ms with lz4 against 1.92–2.15 ms with pglz, for the same
    /// stored size; storing them uncompressed was no faster (twice the heap and WAL). Existing values keep pglz; both
    /// read the same. A server built without lz4 keeps pglz: the migration notes that and goes on.
    /// </summary>
    [DbContext(typeof(MarketMakersDbContext))]
    [Migration("20261124070000_TicketPayloadLz4")]
    public partial class TicketPayloadLz4 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => SetCompression(migrationBuilder, "lz4");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => SetCompression(migrationBuilder, "pglz");

        private static void SetCompression(MigrationBuilder migrationBuilder, string method) =>
            migrationBuilder.Sql($"""
                DO $$
                BEGIN
                    ALTER TABLE ticket_logs
                        ALTER COLUMN request_payload SET COMPRESSION {method},
                        ALTER COLUMN response_data SET COMPRESSION {method},
                        ALTER COLUMN before_state SET COMPRESSION {method},
                        ALTER COLUMN after_state SET COMPRESSION {method};
                EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
                    RAISE NOTICE 'ticket payloads keep their compression: %', SQLERRM;
                END $$;
                """);
    }
}
