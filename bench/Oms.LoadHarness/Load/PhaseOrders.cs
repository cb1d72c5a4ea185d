namespace Oms.LoadHarness.Load;

/// <summary>The orders one run cancels, by tag: a window onto the pool that starts after what earlier runs used.</summary>
internal sealed class PhaseOrders(string[] orders, string symbol, long start)
{
    /// <summary>The symbol of every order.</summary>
    public string Symbol { get; } = symbol;

    /// <summary>The order tag <paramref name="tag"/> cancels.</summary>
    public string OrderOf(int tag) => orders[(int)((start + tag) % orders.Length)];

    /// <summary>Whether that order was canceled before (the pool wrapped), so the venue must refuse it.</summary>
    public bool IsReused(int tag) => start + tag >= orders.Length;

    /// <summary>How many of the first <paramref name="issued"/> tags reuse an order.</summary>
    public long ReusedAmong(long issued) => Math.Clamp(start + issued - orders.Length, 0, issued);
}
