namespace Oms.Load;

/// <summary>The orders a load run cancels, read by index from several strategy threads at once.</summary>
/// <remarks>Implementations are immutable once built, so any thread may read any index without a lock.</remarks>
internal abstract class OrderSource
{
    /// <summary>The longest order id a source hands out; sized for the scratch buffer of <see cref="GetOrderId"/>.</summary>
    public const int MaxOrderIdLength = 64;

    /// <summary>How many orders there are.</summary>
    public abstract int Count { get; }

    /// <summary>The id of order <paramref name="index"/>, in <paramref name="scratch"/> or in storage of the source's own.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    /// <param name="scratch">At least <see cref="MaxOrderIdLength"/> characters, owned by the calling thread.</param>
    public abstract ReadOnlySpan<char> GetOrderId(int index, Span<char> scratch);

    /// <summary>The symbol of order <paramref name="index"/>.</summary>
    public abstract string GetSymbol(int index);
}
