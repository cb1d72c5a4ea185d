namespace Oms.LoadHarness.Load;

/// <summary>
/// Hands the venue's seeded orders out in sequence, so that every cancel of the whole harness targets a fresh
/// open order; when they run out it starts again from the first, and those cancels are expected to be refused.
/// </summary>
/// <remarks>Advanced only between runs, on the harness's main flow.</remarks>
internal sealed class OrderPool(string[] orders, string symbol)
{
    private long _cursor;

    /// <summary>The seeded orders.</summary>
    public int Count => orders.Length;

    /// <summary>The orders for the next run: tag t cancels the t-th order after those used so far.</summary>
    public PhaseOrders Next() => new(orders, symbol, _cursor);

    /// <summary>Marks the first <paramref name="used"/> orders of the last <see cref="Next"/> as spent.</summary>
    public void Advance(long used) => _cursor += used;
}
