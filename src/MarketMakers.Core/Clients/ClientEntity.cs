using MarketMakers.Core.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MarketMakers.Core.Clients;

/// <summary>A client organisation that trades in the cash market. Its id is its ledger <see cref="Holder"/> id.</summary>
public sealed class ClientEntity
{
    public const int MaxNameLength = 200;

    private ClientEntity()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public static ClientEntity Create(Guid id, string? name, DateTimeOffset now) => new() { Id = id, Name = ValidName(name), CreatedAt = now };

    public static string ValidName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw DomainException.Validation("An entity name is required.");
        }

        if (trimmed.Length > MaxNameLength)
        {
            throw DomainException.Validation($"The entity name may have at most {MaxNameLength} characters.");
        }

        return trimmed;
    }
}

internal sealed class ClientEntityConfiguration : IEntityTypeConfiguration<ClientEntity>
{
    public void Configure(EntityTypeBuilder<ClientEntity> b)
    {
        b.ToTable("client_entities");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.Name).HasMaxLength(ClientEntity.MaxNameLength);
        b.HasIndex(c => c.CreatedAt);
        b.HasOne<Holder>().WithOne().HasForeignKey<ClientEntity>(c => c.Id).OnDelete(DeleteBehavior.Restrict);
    }
}
