using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Orders;

/// <summary>The web app on a database of its own, so no other test class's orders rest in (or trade against) its books.</summary>
public sealed class OrdersAppFactory : AppFactory
{
    public override async Task InitializeAsync() => Postgres = await TestDatabase.CreateAsync("orders");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(Postgres);
    }
}
