using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Oms.Engine.Protocol;

/// <summary>
/// Reads a cancel response body with <see cref="Utf8JsonReader"/> into a <see cref="CancelResponse"/>, copying
/// texts into caller-provided spans: no <see cref="JsonDocument"/>, no strings, no allocation for any Ack, Err,
/// empty, HTML or truncated body.
/// </summary>
/// <remarks>
/// <para>Shapes recognised (unknown fields anywhere are skipped, field order does not matter):</para>
/// <code>
/// v1 Ack  {"code":0,"data":{"status":"Ack","info":{"id":"&lt;echo&gt;",...},...}}
/// v1 Err  {"code":300006,"status":"Err","reason":"INVALID_ORDER_ID","message":"...","info":{"id":"&lt;echo&gt;",...},...}
/// other   {"code":200001,"reason":"AUTHENTICATION_FAILED","message":"API signature mismatch"}   (no echoed id)
/// v2 Ack  {"code":0,"data":{"meta":{"action":"cancel-order","id":"&lt;echo&gt;","respInst":"ACK"},"order":{...}}}
/// v2 Err  as v1 Err: top-level code, reason, message and, when the venue sends it, info.id
/// </code>
/// <para>
/// The v2 error shape is an assumption: the public material documents only v2 success, and AscendEX reports
/// errors with the same top-level <c>code</c>/<c>reason</c>/<c>message</c> fields on every other endpoint.
/// </para>
/// <para>
/// Decision, in order: a top-level <c>"status":"Err"</c> or a non-zero <c>code</c> is
/// <see cref="CancelResponseKind.Err"/> (HTTP 200 is never read as success on its own); <c>code</c> 0 with the
/// profile's success fields (v1: <c>data.status</c> <c>Ack</c>; v2: a <c>data.meta</c> object) is
/// <see cref="CancelResponseKind.Ack"/>; anything else that is valid JSON is
/// <see cref="CancelResponseKind.UnknownShape"/>. The echoed id comes from the profile's success object for an
/// Ack and from the top-level <c>info</c> for an Err (falling back to the other when only one is present).
/// </para>
/// <para>
/// The body is parsed whole: the transport hands it over at END_STREAM, and a cancel response is a few hundred
/// bytes. The reader runs with <c>isFinalBlock: false</c> so that a body cut short makes it stop and report
/// <see cref="CancelResponseKind.Truncated"/> instead of throwing. A body whose first byte cannot start a JSON
/// object or array (the CDN's HTML 429 page, for one) is classified without touching the reader. Only JSON
/// that is syntactically broken part-way makes the reader throw; that <see cref="JsonException"/> is caught and
/// reported as <see cref="CancelResponseKind.Malformed"/>, and its allocation is the one cost garbage input
/// pays. Nothing escapes: any input gives a result.
/// </para>
/// <para>
/// Comments are skipped rather than refused, so the contract's own examples (which carry <c>// could be empty</c>)
/// parse as written. Texts (reason, message) are copied as they stand in the body, escape sequences included,
/// and truncated to the span given; the echoed id is unescaped.
/// </para>
/// <para>Stateless after construction: one instance may serve every connection's reader loop at once.</para>
/// </remarks>
internal sealed class CancelResponseParser
{
    // Six bytes per escaped character (\uXXXX) times the longest id kept: any escaped id longer than this cannot
    // unescape to an id the engine sent.
    private const int MaxEscapedIdLength = 6 * CancelResponse.MaxEchoedIdLength;

    private static readonly SearchValues<byte> s_jsonWhitespace = SearchValues.Create(" \t\r\n"u8);

    private static readonly JsonReaderOptions s_options = new() { CommentHandling = JsonCommentHandling.Skip };

    private readonly bool _v2;

    /// <summary>Creates a parser for one profile's success shape.</summary>
    /// <param name="profile">The profile the requests were sent with.</param>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is <see langword="null"/>.</exception>
    public CancelResponseParser(CancelProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Profile = profile;
        _v2 = profile.Version == CancelApiVersion.V2;
    }

    /// <summary>The profile whose shapes this parser recognises.</summary>
    public CancelProfile Profile { get; }

    /// <summary>Parses a body held in one span.</summary>
    /// <param name="body">The whole response body, possibly empty.</param>
    /// <param name="reasonDestination">Receives the raw <c>reason</c> text, truncated to its length.</param>
    /// <param name="messageDestination">Receives the raw <c>message</c> text, truncated to its length.</param>
    /// <param name="diagnosticDestination">For a body that is neither an Ack nor an Err, receives its first bytes.</param>
    /// <returns>The result; never throws.</returns>
    public CancelResponse Parse(ReadOnlySpan<byte> body, Span<byte> reasonDestination, Span<byte> messageDestination, Span<byte> diagnosticDestination)
    {
        var response = new CancelResponse { BodyLength = body.Length };
        int start = body.IndexOfAnyExcept(s_jsonWhitespace);
        if (start < 0)
        {
            response.Kind = CancelResponseKind.Empty;
            return response;
        }

        if (StartsJsonContainer(body[start]))
        {
            var reader = new Utf8JsonReader(body, isFinalBlock: false, new JsonReaderState(s_options));
            response.Kind = ParseDocument(ref reader, ref response, reasonDestination, messageDestination);
            if (HasCompleteValue(response.Kind) && body[(int)reader.BytesConsumed..].ContainsAnyExcept(s_jsonWhitespace))
            {
                response.Kind = CancelResponseKind.Malformed;
            }
        }
        else
        {
            response.Kind = CancelResponseKind.NotJson;
        }

        if (response.Kind is not (CancelResponseKind.Ack or CancelResponseKind.Err))
        {
            int count = Math.Min(body.Length, diagnosticDestination.Length);
            body[..count].CopyTo(diagnosticDestination);
            response.DiagnosticBytesCopied = count;
        }

        return response;
    }

    /// <summary>Parses a body held in a sequence of segments, as a pipe delivers it.</summary>
    /// <param name="body">The whole response body, possibly empty.</param>
    /// <param name="reasonDestination">Receives the raw <c>reason</c> text, truncated to its length.</param>
    /// <param name="messageDestination">Receives the raw <c>message</c> text, truncated to its length.</param>
    /// <param name="diagnosticDestination">For a body that is neither an Ack nor an Err, receives its first bytes.</param>
    /// <returns>The same result as for the body's bytes in one span; never throws.</returns>
    public CancelResponse Parse(in ReadOnlySequence<byte> body, Span<byte> reasonDestination, Span<byte> messageDestination, Span<byte> diagnosticDestination)
    {
        if (body.IsSingleSegment)
        {
            return Parse(body.FirstSpan, reasonDestination, messageDestination, diagnosticDestination);
        }

        var response = new CancelResponse { BodyLength = ClampToInt(body.Length) };
        if (!TryFindFirstNonWhitespace(body, out byte first))
        {
            response.Kind = CancelResponseKind.Empty;
            return response;
        }

        if (StartsJsonContainer(first))
        {
            var reader = new Utf8JsonReader(body, isFinalBlock: false, new JsonReaderState(s_options));
            response.Kind = ParseDocument(ref reader, ref response, reasonDestination, messageDestination);
            if (HasCompleteValue(response.Kind) && TryFindFirstNonWhitespace(body.Slice(reader.BytesConsumed), out _))
            {
                response.Kind = CancelResponseKind.Malformed;
            }
        }
        else
        {
            response.Kind = CancelResponseKind.NotJson;
        }

        if (response.Kind is not (CancelResponseKind.Ack or CancelResponseKind.Err))
        {
            int count = (int)Math.Min(body.Length, diagnosticDestination.Length);
            body.Slice(0, count).CopyTo(diagnosticDestination);
            response.DiagnosticBytesCopied = count;
        }

        return response;
    }

    private static bool StartsJsonContainer(byte first) => first is (byte)'{' or (byte)'[';

    private static bool HasCompleteValue(CancelResponseKind kind) =>
        kind is CancelResponseKind.Ack or CancelResponseKind.Err or CancelResponseKind.UnknownShape;

    private static bool TryFindFirstNonWhitespace(in ReadOnlySequence<byte> body, out byte first)
    {
        foreach (ReadOnlyMemory<byte> segment in body)
        {
            int index = segment.Span.IndexOfAnyExcept(s_jsonWhitespace);
            if (index >= 0)
            {
                first = segment.Span[index];
                return true;
            }
        }

        first = 0;
        return false;
    }

    private CancelResponseKind ParseDocument(ref Utf8JsonReader reader, ref CancelResponse response, Span<byte> reason, Span<byte> message)
    {
        try
        {
            if (!reader.Read())
            {
                return CancelResponseKind.Truncated;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return reader.TrySkip() ? CancelResponseKind.UnknownShape : CancelResponseKind.Truncated;
            }

            var shape = default(Shape);
            if (!ReadTopLevel(ref reader, ref response, ref shape, reason, message))
            {
                return CancelResponseKind.Truncated;
            }

            return Decide(ref response, ref shape);
        }
        catch (JsonException)
        {
            return CancelResponseKind.Malformed;
        }
    }

    private CancelResponseKind Decide(ref CancelResponse response, ref Shape shape)
    {
        if (shape.TopStatus == VenueStatus.Err || (response.HasCode && response.Code != VenueErrorCodes.Success))
        {
            response.Status = shape.TopStatus != VenueStatus.None ? shape.TopStatus : shape.DataStatus;
            response.Reason = ErrorReason(in response, shape.ReasonText);
            SetId(ref response, in shape.TopId, in shape.DataId);
            return CancelResponseKind.Err;
        }

        bool success = _v2 ? shape.SawMeta : shape.DataStatus == VenueStatus.Ack;
        if (response.HasCode && success)
        {
            response.Status = shape.DataStatus;
            response.Reason = VenueReason.None;
            SetId(ref response, in shape.DataId, in shape.TopId);
            return CancelResponseKind.Ack;
        }

        response.Status = shape.TopStatus != VenueStatus.None ? shape.TopStatus : shape.DataStatus;
        response.Reason = shape.ReasonText;
        SetId(ref response, in shape.TopId, in shape.DataId);
        return CancelResponseKind.UnknownShape;
    }

    private static VenueReason ErrorReason(in CancelResponse response, VenueReason fromText)
    {
        if (fromText is not (VenueReason.None or VenueReason.Other))
        {
            return fromText;
        }

        // The code decides when the text is missing or unknown; 100014's text is not documented at all.
        VenueReason fromCode = response.HasCode ? VenueErrorCodes.ReasonOf(response.Code) : VenueReason.Other;
        return fromCode == VenueReason.None ? VenueReason.Other : fromCode;
    }

    private static void SetId(ref CancelResponse response, in CapturedId preferred, in CapturedId fallback)
    {
        if (preferred.Present)
        {
            response.SetEchoedId(in preferred.Bytes, preferred.Length);
        }
        else if (fallback.Present)
        {
            response.SetEchoedId(in fallback.Bytes, fallback.Length);
        }
    }

    // Top level of every shape: code, status, reason, message, info (v1 Err) and data (success).
    private bool ReadTopLevel(ref Utf8JsonReader reader, ref CancelResponse response, ref Shape shape, Span<byte> reason, Span<byte> message)
    {
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }

            if (TextEquals(ref reader, "code"u8))
            {
                if (!reader.Read())
                {
                    return false;
                }

                // A code that is not an integer (a string, 1.5, 1e30) counts as no code: the body is then an
                // unknown shape unless its status says Err.
                long code = 0;
                response.HasCode = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out code);
                response.Code = code;
                if (!reader.TrySkip())
                {
                    return false;
                }
            }
            else if (TextEquals(ref reader, "status"u8))
            {
                if (!ReadStatus(ref reader, out VenueStatus status))
                {
                    return false;
                }

                shape.TopStatus = status;
            }
            else if (TextEquals(ref reader, "reason"u8))
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    shape.ReasonText = MatchReason(ref reader);
                    response.ReasonLength = CopyRaw(ref reader, reason, out int copied);
                    response.ReasonBytesCopied = copied;
                }
                else if (!reader.TrySkip())
                {
                    return false;
                }
            }
            else if (TextEquals(ref reader, "message"u8))
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    response.MessageLength = CopyRaw(ref reader, message, out int copied);
                    response.MessageBytesCopied = copied;
                }
                else if (!reader.TrySkip())
                {
                    return false;
                }
            }
            else if (TextEquals(ref reader, "info"u8))
            {
                if (!ReadIdObject(ref reader, ref shape.TopId, out _))
                {
                    return false;
                }
            }
            else if (TextEquals(ref reader, "data"u8))
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    if (!ReadData(ref reader, ref shape))
                    {
                        return false;
                    }
                }
                else if (!reader.TrySkip())
                {
                    return false;
                }
            }
            else if (!reader.TrySkip())
            {
                return false;
            }
        }
    }

    // data: v1 carries status and info.id; v2 carries meta.id (and order, whose status is not the cancel outcome).
    private bool ReadData(ref Utf8JsonReader reader, ref Shape shape)
    {
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }

            if (!_v2 && TextEquals(ref reader, "status"u8))
            {
                if (!ReadStatus(ref reader, out VenueStatus status))
                {
                    return false;
                }

                shape.DataStatus = status;
            }
            else if (!_v2 && TextEquals(ref reader, "info"u8))
            {
                if (!ReadIdObject(ref reader, ref shape.DataId, out _))
                {
                    return false;
                }
            }
            else if (_v2 && TextEquals(ref reader, "meta"u8))
            {
                if (!ReadIdObject(ref reader, ref shape.DataId, out bool wasObject))
                {
                    return false;
                }

                shape.SawMeta |= wasObject;
            }
            else if (!reader.TrySkip())
            {
                return false;
            }
        }
    }

    // From a property name whose value should be an object holding "id"; any other value is skipped.
    private static bool ReadIdObject(ref Utf8JsonReader reader, ref CapturedId id, out bool wasObject)
    {
        wasObject = false;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TrySkip();
        }

        wasObject = true;
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }

            if (TextEquals(ref reader, "id"u8))
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    CaptureId(ref reader, ref id);
                }
                else if (!reader.TrySkip())
                {
                    return false;
                }
            }
            else if (!reader.TrySkip())
            {
                return false;
            }
        }
    }

    // From a property name; a status that is not a string is skipped and reads as no status.
    private static bool ReadStatus(ref Utf8JsonReader reader, out VenueStatus status)
    {
        status = VenueStatus.None;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return reader.TrySkip();
        }

        status = TextEquals(ref reader, "Ack"u8) ? VenueStatus.Ack
            : TextEquals(ref reader, "Err"u8) ? VenueStatus.Err
            : VenueStatus.Other;
        return true;
    }

    // ValueTextEquals throws when an escaped name or value decodes to a lone surrogate; such text simply matches
    // nothing we look for, so it is compared here without letting the exception out. Unescaped text, the only
    // kind the venue sends, takes the plain path.
    private static bool TextEquals(ref Utf8JsonReader reader, ReadOnlySpan<byte> literal) =>
        reader.ValueIsEscaped ? EscapedTextEquals(ref reader, literal) : reader.ValueTextEquals(literal);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool EscapedTextEquals(ref Utf8JsonReader reader, ReadOnlySpan<byte> literal)
    {
        try
        {
            return reader.ValueTextEquals(literal);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static VenueReason MatchReason(ref Utf8JsonReader reader)
    {
        for (VenueReason reason = VenueReason.InvalidOrderId; reason < VenueReason.Other; reason++)
        {
            ReadOnlySpan<byte> text = VenueErrorCodes.ReasonTextUtf8(reason);
            if (!text.IsEmpty && TextEquals(ref reader, text))
            {
                return reason;
            }
        }

        return VenueReason.Other;
    }

    private static void CaptureId(ref Utf8JsonReader reader, ref CapturedId id)
    {
        id.Present = true;
        Span<byte> destination = id.Bytes;
        if (!reader.ValueIsEscaped)
        {
            id.Length = CopyRaw(ref reader, destination, out _);
            return;
        }

        int rawLength = RawLength(ref reader);
        if (rawLength <= MaxEscapedIdLength)
        {
            Span<byte> unescaped = stackalloc byte[MaxEscapedIdLength];
            try
            {
                int length = reader.CopyString(unescaped);
                unescaped[..Math.Min(length, destination.Length)].CopyTo(destination);
                id.Length = length;
                return;
            }
            catch (InvalidOperationException)
            {
                // An escape that decodes to an invalid surrogate: keep the raw text, which can never match a sent id.
            }
        }

        id.Length = CopyRaw(ref reader, destination, out _);
    }

    private static int RawLength(ref Utf8JsonReader reader) =>
        reader.HasValueSequence ? ClampToInt(reader.ValueSequence.Length) : reader.ValueSpan.Length;

    // A sequence may in theory exceed int.MaxValue bytes; lengths saturate rather than throw.
    private static int ClampToInt(long length) => (int)Math.Min(length, int.MaxValue);

    // Copies the current token's raw bytes, truncated to the destination; returns the full length.
    private static int CopyRaw(ref Utf8JsonReader reader, scoped Span<byte> destination, out int copied)
    {
        if (reader.HasValueSequence)
        {
            ReadOnlySequence<byte> value = reader.ValueSequence;
            copied = (int)Math.Min(value.Length, destination.Length);
            value.Slice(0, copied).CopyTo(destination);
            return ClampToInt(value.Length);
        }

        ReadOnlySpan<byte> span = reader.ValueSpan;
        copied = Math.Min(span.Length, destination.Length);
        span[..copied].CopyTo(destination);
        return span.Length;
    }

    private struct CapturedId
    {
        public EchoedIdBuffer Bytes;
        public int Length;
        public bool Present;
    }

    private struct Shape
    {
        public VenueStatus TopStatus;
        public VenueStatus DataStatus;
        public VenueReason ReasonText;
        public bool SawMeta;
        public CapturedId TopId;
        public CapturedId DataId;
    }
}
