namespace Oms.Engine.Venues;

/// <summary>
/// The id the engine gives one request (sent in the body, echoed in the answer): up to <see cref="MaxLength"/> ASCII
/// bytes held inline in the request's in-flight entry, written by the venue's generator just before the send.
/// </summary>
internal struct RequestId
{
    /// <summary>The longest request id, in bytes; answers echoing a longer one keep this many.</summary>
    public const int MaxLength = InlineAscii.Capacity;

    private InlineAscii _value;

    public readonly int Length => _value.Length;

    /// <summary>The id's bytes, over this value's own storage.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Span => _value.Span;

    /// <summary>Makes the id <paramref name="length"/> bytes long and returns them for the generator to fill.</summary>
    [UnscopedRef]
    public Span<byte> Reset(int length) => _value.Reset(length);
}
