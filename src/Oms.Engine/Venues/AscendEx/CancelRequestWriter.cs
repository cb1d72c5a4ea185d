using System.Text.Json;


namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// Writes the JSON body of a cancel request into a buffer allocated once, with a <see cref="Utf8JsonWriter"/>
/// that is reset for each request rather than re-created.
/// </summary>
/// <remarks>
/// <para>
/// Body, fields in this order (the contract's table order; v2 appends <c>respInst</c>):
/// <code>
/// v1: {"id":"&lt;request id&gt;","orderId":"&lt;order id&gt;","symbol":"&lt;symbol&gt;","time":&lt;ms&gt;}
/// v2: {"id":"&lt;request id&gt;","orderId":"&lt;order id&gt;","symbol":"&lt;symbol&gt;","time":&lt;ms&gt;,"respInst":"ACK"}
/// </code>
/// <c>time</c> is a JSON number (the contract types it Long), not a string.
/// </para>
/// <para>
/// The buffer is sized from the profile's bounds with room for every character to need a six-byte JSON escape,
/// so input within the bounds always fits; input beyond them is a bug (strategy input passes
/// <see cref="CancelProfile.TryValidate(ReadOnlySpan{char}, ReadOnlySpan{char}, out CancelRefusal)"/> first) and throws.
/// </para>
/// <para>Threading: one owner, the consumer thread. Memory: nothing is allocated after construction.</para>
/// </remarks>
internal sealed class CancelRequestWriter : IDisposable
{
    /// <summary>The longest request id accepted: the contract's 32 characters.</summary>
    public const int MaxRequestIdLength = InlineAscii.Capacity;

    // Punctuation, names and the longest time and respInst values come to under 100 bytes; 256 leaves slack and
    // matches the first block Utf8JsonWriter asks its output for.
    private const int FixedOverhead = 256;

    // The most bytes the JSON escaping of one input byte can produce (\u00XX).
    private const int MaxEscapeExpansion = 6;

    private static readonly JsonEncodedText s_id = JsonEncodedText.Encode("id"u8);
    private static readonly JsonEncodedText s_orderId = JsonEncodedText.Encode("orderId"u8);
    private static readonly JsonEncodedText s_symbol = JsonEncodedText.Encode("symbol"u8);
    private static readonly JsonEncodedText s_time = JsonEncodedText.Encode("time"u8);
    private static readonly JsonEncodedText s_respInst = JsonEncodedText.Encode("respInst"u8);

    private readonly FixedBufferWriter _buffer;
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText _respInstValue;
    private readonly bool _writeRespInst;
    private readonly int _maxOrderIdLength;

    /// <summary>Creates a writer for one profile and allocates its buffer.</summary>
    /// <param name="profile">The endpoint profile: it decides <c>respInst</c> and the order-id bound.</param>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is <see langword="null"/>.</exception>
    public CancelRequestWriter(CancelProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Profile = profile;
        _maxOrderIdLength = profile.MaxOrderIdLength;
        _buffer = new FixedBufferWriter(CapacityFor(profile));

        // The structure is fixed and covered by tests, so the writer's per-token validation buys nothing.
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        if (profile.RespInstText is { } respInst)
        {
            _writeRespInst = true;
            _respInstValue = JsonEncodedText.Encode(respInst);
        }
    }

    /// <summary>The profile whose body this writer writes.</summary>
    public CancelProfile Profile { get; }

    /// <summary>The size of the pre-allocated buffer, the most a body can take.</summary>
    public int Capacity => _buffer.Capacity;

    /// <summary>Writes the body of one cancel request.</summary>
    /// <param name="requestId">The request id's ASCII bytes (see <see cref="RequestIdGenerator"/>); 1 to <see cref="MaxRequestIdLength"/> bytes.</param>
    /// <param name="orderId">The order id's ASCII bytes, validated against the profile.</param>
    /// <param name="symbol">The symbol's ASCII bytes, validated against the profile.</param>
    /// <param name="timeMs">Milliseconds since the Unix epoch, normally the signing timestamp; the venue refuses requests older than 30 s.</param>
    /// <returns>The body's UTF-8 bytes, valid until the next call.</returns>
    /// <exception cref="ArgumentException">A field is empty or too long for the profile's bounds.</exception>
    /// <remarks>
    /// Consumer thread only. Fields are not re-validated here (that is <see cref="CancelProfile.TryValidate(ReadOnlySpan{char}, ReadOnlySpan{char}, out CancelRefusal)"/>'s
    /// job, done once at the call): characters JSON must escape are escaped, and bytes that are not UTF-8 come out
    /// as <c>�</c>, so the body is always valid JSON even for unvalidated input.
    /// </remarks>
    public ReadOnlySpan<byte> Write(ReadOnlySpan<byte> requestId, ReadOnlySpan<byte> orderId, ReadOnlySpan<byte> symbol, long timeMs)
    {
        CheckBounds(requestId, orderId, symbol);

        _json.Reset();
        _buffer.Clear();

        WriteOrder(_json, requestId, orderId, symbol, timeMs, _writeRespInst, in _respInstValue);
        _json.Flush();
        return _buffer.WrittenSpan;
    }

    /// <summary>The most bytes one cancel's body takes under <paramref name="profile"/>, every field at its longest and escaped.</summary>
    public static int CapacityFor(CancelProfile profile) =>
        FixedOverhead + (MaxEscapeExpansion * (MaxRequestIdLength + profile.MaxOrderIdLength + CancelProfile.MaxSymbolLength));

    /// <summary>One cancel's object, <c>{"id","orderId","symbol","time"[,"respInst"]}</c>: the whole single body, or one order of a batch.</summary>
    public static void WriteOrder(
        Utf8JsonWriter json, ReadOnlySpan<byte> requestId, ReadOnlySpan<byte> orderId, ReadOnlySpan<byte> symbol, long timeMs, bool writeRespInst, in JsonEncodedText respInst)
    {
        json.WriteStartObject();
        json.WriteString(s_id, requestId);
        json.WriteString(s_orderId, orderId);
        json.WriteString(s_symbol, symbol);
        json.WriteNumber(s_time, timeMs);
        if (writeRespInst)
        {
            json.WriteString(s_respInst, respInst);
        }

        json.WriteEndObject();
    }

    /// <summary>Releases the JSON writer.</summary>
    public void Dispose() => _json.Dispose();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckBounds(ReadOnlySpan<byte> requestId, ReadOnlySpan<byte> orderId, ReadOnlySpan<byte> symbol)
    {
        if ((uint)(requestId.Length - 1) >= MaxRequestIdLength
            || (uint)(orderId.Length - 1) >= (uint)_maxOrderIdLength
            || (uint)(symbol.Length - 1) >= CancelProfile.MaxSymbolLength)
        {
            ThrowBadField(requestId.Length, orderId.Length, symbol.Length);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadField(int requestIdLength, int orderIdLength, int symbolLength)
    {
        if (requestIdLength == 0)
        {
            ThrowHelper.ThrowFieldEmpty("requestId");
        }

        if (orderIdLength == 0)
        {
            ThrowHelper.ThrowFieldEmpty("orderId");
        }

        if (symbolLength == 0)
        {
            ThrowHelper.ThrowFieldEmpty("symbol");
        }

        if (requestIdLength > MaxRequestIdLength)
        {
            ThrowHelper.ThrowFieldTooLong("requestId", requestIdLength, MaxRequestIdLength);
        }

        if (orderIdLength > _maxOrderIdLength)
        {
            ThrowHelper.ThrowFieldTooLong("orderId", orderIdLength, _maxOrderIdLength);
        }

        ThrowHelper.ThrowFieldTooLong("symbol", symbolLength, CancelProfile.MaxSymbolLength);
    }
}
