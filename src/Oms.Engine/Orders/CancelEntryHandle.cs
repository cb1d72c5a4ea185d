namespace Oms.Engine.Orders;

/// <summary>
/// Names one episode of one entry in a <see cref="CancelStateTable"/>: the slot and the generation it had when
/// the episode began.
/// </summary>
/// <remarks>
/// A handle is a plain value, safe to copy to any thread. Once the entry moves on (the order is begun again, or
/// its slot is recycled for another order), the generation no longer matches and every operation through an old
/// handle fails or reports <see cref="CancelState.None"/>: a late answer can never touch a newer episode. The
/// default handle is never valid.
/// </remarks>
internal readonly struct CancelEntryHandle : IEquatable<CancelEntryHandle>
{
    internal CancelEntryHandle(int index, long generation)
    {
        Index = index;
        Generation = generation;
    }

    /// <summary>Whether this handle came from a successful <see cref="CancelStateTable.TryBegin"/>.</summary>
    public bool IsValid => Generation != 0;

    /// <summary>The slot in the table.</summary>
    internal int Index { get; }

    /// <summary>The slot's generation for this episode; generations start at 1, so 0 marks the default handle.</summary>
    internal long Generation { get; }

    /// <summary>Whether both handles name the same episode of the same slot.</summary>
    /// <param name="left">A handle.</param>
    /// <param name="right">Another handle.</param>
    /// <returns><see langword="true"/> when slot and generation are equal.</returns>
    public static bool operator ==(CancelEntryHandle left, CancelEntryHandle right) => left.Equals(right);

    /// <summary>Whether the handles name different episodes or slots.</summary>
    /// <param name="left">A handle.</param>
    /// <param name="right">Another handle.</param>
    /// <returns><see langword="true"/> when slot or generation differ.</returns>
    public static bool operator !=(CancelEntryHandle left, CancelEntryHandle right) => !left.Equals(right);

    /// <summary>Whether <paramref name="other"/> names the same episode of the same slot.</summary>
    /// <param name="other">The handle to compare with.</param>
    /// <returns><see langword="true"/> when slot and generation are equal.</returns>
    public bool Equals(CancelEntryHandle other) => Index == other.Index && Generation == other.Generation;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CancelEntryHandle other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Index, Generation);

    /// <summary>The slot and generation, for debugging.</summary>
    /// <returns>Text such as <c>slot 12, generation 3</c>.</returns>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"slot {Index}, generation {Generation}");
}
