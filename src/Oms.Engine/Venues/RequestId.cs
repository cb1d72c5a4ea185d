using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Oms.Engine.Venues;

/// <summary>
/// The id the engine gives one request (sent in the body, echoed in the answer): up to <see cref="MaxLength"/> ASCII
/// bytes held inline in the request's in-flight entry, written by the venue's generator just before the send.
/// </summary>
internal struct RequestId
{
    /// <summary>The longest request id, in bytes; answers echoing a longer one keep this many.</summary>
    public const int MaxLength = 32;

    private Bytes _bytes;
    private byte _length;

    public readonly int Length => _length;

    /// <summary>The id's bytes, over this value's own storage.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Span => ((ReadOnlySpan<byte>)_bytes)[.._length];

    /// <summary>Makes the id <paramref name="length"/> bytes long and returns them for the generator to fill.</summary>
    [UnscopedRef]
    public Span<byte> Reset(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)MaxLength, nameof(length));
        _length = (byte)length;
        return ((Span<byte>)_bytes)[..length];
    }

    [InlineArray(MaxLength)]
    private struct Bytes
    {
        private byte _element0;
    }
}
