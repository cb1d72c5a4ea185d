using System.Buffers;
using System.Text.Json;

namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// Reads a cancel response body with <see cref="Utf8JsonReader"/> into a <see cref="CancelResponse"/>, copying
/// texts into caller-provided spans: no <see cref="JsonDocument"/>, no strings, no allocation for any Ack, Err,
/// empty, HTML or truncated body.
/// </summary>
/// <remarks>
/// Any input gives a result: unknown fields are skipped, a cut body is Truncated, a body that is not JSON (the CDN's
/// HTML 429 page) is classified without the reader, broken JSON is Malformed. Stateless after construction, so one
/// instance serves every reader thread. The shapes and the order of the decision are in
/// <c>docs/venue-ascendex.md</c> ("Reading an answer").
/// </remarks>
internal sealed class CancelResponseParser
{
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

        response.ErrorClass = Classify(in response);
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

        var response = new CancelResponse { BodyLength = AnswerFields.ClampToInt(body.Length) };
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

        response.ErrorClass = Classify(in response);
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

    /// <summary>
    /// What the engine does with an answer. Ack: <see cref="VenueErrorClass.Acked"/>. Err: the class of the code when
    /// the table lists it (a code of 0 on an <c>Err</c> status is never read as success), else the class of the
    /// reason, else <see cref="VenueErrorClass.Rejected"/>. Any other kind: <see cref="VenueErrorClass.Undetermined"/>.
    /// </summary>
    private static VenueErrorClass Classify(in CancelResponse response) => response.Kind switch
    {
        CancelResponseKind.Ack => VenueErrorClass.Acked,
        CancelResponseKind.Err when response.HasCode && response.Code != VenueErrorCodes.Success
            && VenueErrorCodes.TryClassify(response.Code, out VenueErrorClass byCode) => byCode,
        CancelResponseKind.Err => VenueErrorCodes.Classify(response.Reason),
        _ => VenueErrorClass.Undetermined,
    };

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

    private static void SetId(ref CancelResponse response, in AnswerFields.CapturedId preferred, in AnswerFields.CapturedId fallback)
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

            if (AnswerFields.TextEquals(ref reader, "code"u8))
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
            else if (AnswerFields.TextEquals(ref reader, "status"u8))
            {
                if (!AnswerFields.ReadStatus(ref reader, out VenueStatus status))
                {
                    return false;
                }

                shape.TopStatus = status;
            }
            else if (AnswerFields.TextEquals(ref reader, "reason"u8))
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    shape.ReasonText = AnswerFields.MatchReason(ref reader);
                    response.ReasonLength = AnswerFields.CopyRaw(ref reader, reason, out int copied);
                    response.ReasonBytesCopied = copied;
                }
                else if (!reader.TrySkip())
                {
                    return false;
                }
            }
            else if (AnswerFields.TextEquals(ref reader, "message"u8))
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    response.MessageLength = AnswerFields.CopyRaw(ref reader, message, out int copied);
                    response.MessageBytesCopied = copied;
                }
                else if (!reader.TrySkip())
                {
                    return false;
                }
            }
            else if (AnswerFields.TextEquals(ref reader, "info"u8))
            {
                if (!AnswerFields.ReadIdObject(ref reader, ref shape.TopId, out _))
                {
                    return false;
                }
            }
            else if (AnswerFields.TextEquals(ref reader, "data"u8))
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

            if (!_v2 && AnswerFields.TextEquals(ref reader, "status"u8))
            {
                if (!AnswerFields.ReadStatus(ref reader, out VenueStatus status))
                {
                    return false;
                }

                shape.DataStatus = status;
            }
            else if (!_v2 && AnswerFields.TextEquals(ref reader, "info"u8))
            {
                if (!AnswerFields.ReadIdObject(ref reader, ref shape.DataId, out _))
                {
                    return false;
                }
            }
            else if (_v2 && AnswerFields.TextEquals(ref reader, "meta"u8))
            {
                if (!AnswerFields.ReadIdObject(ref reader, ref shape.DataId, out bool wasObject))
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

    private struct Shape
    {
        public VenueStatus TopStatus;
        public VenueStatus DataStatus;
        public VenueReason ReasonText;
        public bool SawMeta;
        public AnswerFields.CapturedId TopId;
        public AnswerFields.CapturedId DataId;
    }
}
