using Microsoft.EntityFrameworkCore.Migrations;

namespace MarketMakers.Core.Persistence;

/// <summary>
/// Migration helpers that make a table append-only in the database itself, so no code path (or person with
/// a SQL prompt and ordinary rights) can rewrite history. TRUNCATE is refused too.
/// </summary>
public static class AppendOnly
{
    public static void CreateGuardFunction(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            CREATE OR REPLACE FUNCTION refuse_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END $$;
            """);

    public static void Protect(MigrationBuilder migrationBuilder, string table) =>
        migrationBuilder.Sql($"""
            CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION refuse_mutation();
            CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION refuse_mutation();
            """);

    public static void Unprotect(MigrationBuilder migrationBuilder, string table) =>
        migrationBuilder.Sql($"""
            DROP TRIGGER IF EXISTS {table}_append_only ON {table};
            DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
            """);
}
