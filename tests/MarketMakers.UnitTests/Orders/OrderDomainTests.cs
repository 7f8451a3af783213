using MarketMakers.Core;
using MarketMakers.Core.Orders;

namespace MarketMakers.Tests.Orders;

/// <summary>The order's own invariants: validation, fills and cancels (only DomainException, no database).</summary>
public sealed class OrderDomainTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static Order NewOrder(OrderSide? side = null, long quantity = 10) =>
        Order.Place(Guid.NewGuid(), Guid.NewGuid(), null, CertificateType.Cea, side ?? OrderSide.Sell, Price.Parse(70.00m), Quantity.Parse(quantity), "TKT-2026-000001", Now);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("70.001")]
    [InlineData("1000000.01")]
    public void Bad_prices_are_validation_errors(string price) =>
        Assert.Equal(DomainErrorKind.Validation, Assert.Throws<DomainException>(() => Price.Parse(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture))).Kind);

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("2.5")]
    public void Bad_quantities_are_validation_errors(string quantity) =>
        Assert.Equal(DomainErrorKind.Validation, Assert.Throws<DomainException>(() => Quantity.Parse(decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture))).Kind);

    [Fact]
    public void Fills_move_the_status_and_never_exceed_the_quantity()
    {
        var order = NewOrder(OrderSide.Buy);
        Assert.Equal(700m, order.RemainingLock);
        order.Fill(4, Now);
        Assert.Equal((OrderStatus.PartiallyFilled, 6L, 420m), (order.Status, order.RemainingQuantity, order.RemainingLock));
        Assert.Throws<DomainException>(() => order.Fill(7, Now));
        order.Fill(6, Now);
        Assert.Equal(OrderStatus.Filled, order.Status);
        Assert.Throws<DomainException>(() => order.Fill(1, Now));
        Assert.Equal(DomainErrorKind.BusinessRule, Assert.Throws<DomainException>(() => order.Cancel("late", Now)).Kind);
    }

    [Fact]
    public void A_cancelled_order_keeps_its_reason_and_cannot_be_cancelled_again()
    {
        var order = NewOrder();
        order.Fill(3, Now);
        order.Cancel("by owner", Now);
        Assert.Equal((OrderStatus.Cancelled, "by owner", 3L), (order.Status, order.CancelReason, order.FilledQuantity));
        Assert.Throws<DomainException>(() => order.Cancel("again", Now));
    }
}
