using System.Buffers;
using System.Buffers.Text;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Benchmarks.Venues.AscendEx;

/// <summary>
/// A candidate for <see cref="CancelRequestWriter"/> (an A/B in the bench before any change to the library): the
/// v1 body is a fixed template with four holes, so it is written by copying pre-encoded fragments and the
/// field bytes, and formatting the time; a field that would need JSON escaping goes to the library writer.
/// </summary>
/// <remarks>One owner thread; nothing allocated after construction.</remarks>
public sealed class TemplateBodyWriter : IDisposable
{
    // Bytes Utf8JsonWriter's default encoder copies as they are: letters, digits and a few marks. It escapes more
    // than JSON requires ('+', '&', '<', '\'' and others), so anything outside this set goes to the library
    // writer, which keeps the two byte-for-byte identical. Order ids, request ids and symbols are all inside it.
    private static readonly SearchValues<byte> s_plain = SearchValues.Create(
        "-._0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private readonly byte[] _buffer = new byte[512];
    private readonly CancelRequestWriter _fallback = new(CancelProfile.V1);

    /// <summary>Writes the v1 body; the same bytes as <see cref="CancelRequestWriter.Write"/>.</summary>
    /// <returns>The body, valid until the next call.</returns>
    public ReadOnlySpan<byte> Write(ReadOnlySpan<byte> requestId, ReadOnlySpan<byte> orderId, ReadOnlySpan<byte> symbol, long timeMs)
    {
        if (requestId.Length + orderId.Length + symbol.Length > 256
            || requestId.ContainsAnyExcept(s_plain) || orderId.ContainsAnyExcept(s_plain) || symbol.ContainsAnyExcept(s_plain))
        {
            return _fallback.Write(requestId, orderId, symbol, timeMs);
        }

        Span<byte> span = _buffer;
        int length = Append(span, 0, "{\"id\":\""u8);
        length = Append(span, length, requestId);
        length = Append(span, length, "\",\"orderId\":\""u8);
        length = Append(span, length, orderId);
        length = Append(span, length, "\",\"symbol\":\""u8);
        length = Append(span, length, symbol);
        length = Append(span, length, "\",\"time\":"u8);
        Utf8Formatter.TryFormat(timeMs, span[length..], out int digits);
        length += digits;
        span[length++] = (byte)'}';
        return span[..length];
    }

    /// <summary>Releases the fallback writer.</summary>
    public void Dispose() => _fallback.Dispose();

    private static int Append(Span<byte> destination, int offset, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[offset..]);
        return offset + bytes.Length;
    }
}
