namespace Oms.Engine.Venues.AscendEx;

/// <summary>The version of the AscendEX futures cancel endpoint a <see cref="CancelProfile"/> speaks.</summary>
public enum CancelApiVersion
{
    /// <summary><c>DELETE /&lt;group&gt;/api/pro/v1/futures/order</c>, the contract summarised in <c>docs/venue-ascendex.md</c>.</summary>
    V1 = 1,

    /// <summary><c>DELETE /&lt;group&gt;/api/pro/v2/futures/order</c>, the current exchange API.</summary>
    V2 = 2,
}
