namespace MarketMakers.Core.Ledger;

/// <summary>Anyone who owns balances: a Market Maker now, a client entity later. Its id is the owner's id.</summary>
public sealed class Holder
{
    private Holder()
    {
    }

    public Guid Id { get; private set; }

    public string Kind { get; private set; } = "";

    public string Name { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public static Holder Create(Guid id, string kind, string name, DateTimeOffset now)
    {
        if (kind is not (HolderKinds.MarketMaker or HolderKinds.ClientEntity))
        {
            throw DomainException.Validation($"Unknown holder kind '{kind}'.");
        }

        return new Holder { Id = id, Kind = kind, Name = name, CreatedAt = now };
    }

    public void Rename(string name) => Name = name;
}
