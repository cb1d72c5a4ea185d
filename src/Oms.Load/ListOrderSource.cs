namespace Oms.Load;

/// <summary>Orders given one by one: read from an <c>--order-ids</c> file, or seeded by the demo.</summary>
internal sealed class ListOrderSource(IReadOnlyList<(string Symbol, string OrderId)> orders) : OrderSource
{
    public override int Count => orders.Count;

    public override ReadOnlySpan<char> GetOrderId(int index, Span<char> scratch) => orders[index].OrderId;

    public override string GetSymbol(int index) => orders[index].Symbol;
}
