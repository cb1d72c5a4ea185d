using System.Buffers.Text;

namespace Oms.Transport.Connections;

/// <summary>Reads a <c>retry-after</c> value (RFC 9110 section 10.2.3) without allocating.</summary>
internal static class RetryAfterHeader
{
    // A server asking for more than a day is treated as asking for a day: the engine's window is far shorter anyway.
    private const int MaxSeconds = 86_400;

    /// <summary>
    /// The seconds to wait: <c>delta-seconds</c> as given, an <c>HTTP-date</c> as the whole seconds from
    /// <paramref name="utcNow"/> (rounded up, 0 when past); <see cref="Http2ResponseHead.NoRetryAfter"/> when malformed.
    /// </summary>
    public static int Parse(ReadOnlySpan<byte> value, DateTime utcNow)
    {
        value = value.Trim((byte)' ');
        if (value.IsEmpty)
        {
            return Http2ResponseHead.NoRetryAfter;
        }

        if (char.IsAsciiDigit((char)value[0]))
        {
            // delta-seconds = 1*DIGIT; anything after the digits makes it malformed.
            if (!Utf8Parser.TryParse(value, out ulong seconds, out var consumed) || consumed != value.Length)
            {
                return value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0 ? MaxSeconds : Http2ResponseHead.NoRetryAfter;
            }

            return (int)Math.Min(seconds, MaxSeconds);
        }

        // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" ('R' is the RFC 1123 form).
        if (!Utf8Parser.TryParse(value, out DateTime date, out var used, 'R') || used != value.Length)
        {
            return Http2ResponseHead.NoRetryAfter;
        }

        var wait = (date - utcNow).TotalSeconds;
        return wait <= 0 ? 0 : (int)Math.Min(Math.Ceiling(wait), MaxSeconds);
    }
}
