namespace MarketMakers.Core.Matching;

/// <summary>One execution. Price is always the maker's (resting order's) price.</summary>
public readonly record struct Fill(
    Guid MakerOrderId,
    Guid TakerOrderId,
    Guid MakerHolderId,
    Guid TakerHolderId,
    Side TakerSide,
    decimal Price,
    long Quantity)
{
    public Guid BuyOrderId => TakerSide == Side.Buy ? TakerOrderId : MakerOrderId;

    public Guid SellOrderId => TakerSide == Side.Sell ? TakerOrderId : MakerOrderId;

    public Guid BuyerHolderId => TakerSide == Side.Buy ? TakerHolderId : MakerHolderId;

    public Guid SellerHolderId => TakerSide == Side.Sell ? TakerHolderId : MakerHolderId;
}
