using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MarketMakers.Core.MarketMaking;

/// <summary>
/// An admin-controlled liquidity client. Its id is its ledger <see cref="Holder"/> id; its MARKET_MAKER user can
/// never sign in. Deleting only deactivates it, since its ledger and tickets must stay.
/// </summary>
public sealed class MarketMaker
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 2000;
    public const int MaxOwnerGroupLength = 100;

    private MarketMaker()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string Name { get; private set; } = "";

    public string Email { get; private set; } = "";

    public string? Description { get; private set; }

    public bool IsActive { get; private set; }

    /// <summary>
    /// The beneficial owner's group (SPEC §4b), null for none: orders of two Market Makers of one group never trade
    /// with each other (wash-trade prevention), as an order never trades with its own holder's.
    /// </summary>
    public string? OwnerGroup { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public Guid? CreatedBy { get; private set; }

    public static MarketMaker Create(
        Guid id, Guid userId, string? name, string email, string? description, Guid? createdBy, DateTimeOffset now, string? ownerGroup = null) => new()
        {
            Id = id,
            UserId = userId,
            Name = ValidName(name),
            Email = email,
            Description = ValidDescription(description),
            OwnerGroup = ValidOwnerGroup(ownerGroup),
            IsActive = true,
            CreatedAt = now,
            UpdatedAt = now,
            CreatedBy = createdBy,
        };

    /// <summary>Null leaves a field as it is; an empty owner group takes the Market Maker out of its group.</summary>
    public void Update(string? name, string? description, bool? isActive, DateTimeOffset now, string? ownerGroup = null)
    {
        if (ownerGroup is not null)
        {
            OwnerGroup = ValidOwnerGroup(ownerGroup);
        }

        if (name is not null)
        {
            Name = ValidName(name);
        }

        if (description is not null)
        {
            Description = ValidDescription(description);
        }

        if (isActive is { } active)
        {
            IsActive = active;
        }

        UpdatedAt = now;
    }

    public void Deactivate(DateTimeOffset now)
    {
        IsActive = false;
        UpdatedAt = now;
    }

    /// <summary>Refuses ledger movements for a deactivated Market Maker.</summary>
    public void EnsureActive()
    {
        if (!IsActive)
        {
            throw DomainException.Rule($"Market Maker {Name} is not active.");
        }
    }

    /// <summary>The state recorded in tickets' before/after.</summary>
    public object Snapshot() => new
    {
        id = Id,
        user_id = UserId,
        name = Name,
        email = Email,
        description = Description,
        owner_group = OwnerGroup,
        is_active = IsActive,
        updated_at = UpdatedAt,
    };

    public static string ValidName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw DomainException.Validation("A name is required.");
        }

        if (trimmed.Length > MaxNameLength)
        {
            throw DomainException.Validation($"The name may have at most {MaxNameLength} characters.");
        }

        return trimmed;
    }

    /// <summary>Trimmed; blank means none.</summary>
    public static string? ValidOwnerGroup(string? ownerGroup)
    {
        var trimmed = ownerGroup?.Trim();
        if (trimmed is { Length: > MaxOwnerGroupLength })
        {
            throw DomainException.Validation($"The owner group may have at most {MaxOwnerGroupLength} characters.");
        }

        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    public static string? ValidDescription(string? description)
    {
        var trimmed = description?.Trim();
        if (trimmed is { Length: > MaxDescriptionLength })
        {
            throw DomainException.Validation($"The description may have at most {MaxDescriptionLength} characters.");
        }

        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}

internal sealed class MarketMakerConfiguration : IEntityTypeConfiguration<MarketMaker>
{
    public void Configure(EntityTypeBuilder<MarketMaker> b)
    {
        b.ToTable("market_maker_clients");
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).ValueGeneratedNever();
        b.Property(m => m.Name).HasMaxLength(MarketMaker.MaxNameLength);
        b.Property(m => m.Email).HasMaxLength(256);
        b.Property(m => m.Description).HasColumnType("text");
        b.Property(m => m.OwnerGroup).HasMaxLength(MarketMaker.MaxOwnerGroupLength);
        b.HasIndex(m => m.UserId).IsUnique();
        b.HasIndex(m => m.Email).IsUnique();
        b.HasIndex(m => m.CreatedAt);
        b.HasOne<Holder>().WithOne().HasForeignKey<MarketMaker>(m => m.Id).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithOne().HasForeignKey<MarketMaker>(m => m.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
