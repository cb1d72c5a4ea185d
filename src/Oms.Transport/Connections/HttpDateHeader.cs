using System.Buffers.Text;

namespace Oms.Transport.Connections;

/// <summary>
/// Reads a response's <c>date</c> header (RFC 9110 section 6.6.1, IMF-fixdate) as Unix seconds, without allocating.
/// One per connection, reader thread only.
/// </summary>
/// <remarks>
/// A server stamps the same text on every response within one second, so the last text and its value are kept: most
/// responses cost one comparison of some 29 octets, and a parse happens about once a second.
/// </remarks>
internal sealed class HttpDateHeader
{
    private const int MaxLength = 40;

    private readonly byte[] _last = new byte[MaxLength];
    private int _lastLength = -1;
    private long _lastSeconds = Http2ResponseHead.NoServerDate;

    /// <summary>The date as whole seconds since the Unix epoch; <see cref="Http2ResponseHead.NoServerDate"/> when malformed.</summary>
    public long Parse(ReadOnlySpan<byte> value)
    {
        if (value.Length == _lastLength && value.SequenceEqual(_last.AsSpan(0, _lastLength)))
        {
            return _lastSeconds;
        }

        var trimmed = value.Trim((byte)' ');
        var seconds = Utf8Parser.TryParse(trimmed, out DateTime date, out var used, 'R') && used == trimmed.Length
            ? (long)(date - DateTime.UnixEpoch).TotalSeconds
            : Http2ResponseHead.NoServerDate;
        if (value.Length <= MaxLength)
        {
            value.CopyTo(_last);
            _lastLength = value.Length;
            _lastSeconds = seconds;
        }

        return seconds;
    }
}
