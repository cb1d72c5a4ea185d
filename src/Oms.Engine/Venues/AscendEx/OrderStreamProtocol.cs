using System.Text.Json;

namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// The venue's private order stream (WebSocket): its path and signed prehash per API version, the authentication
/// headers of the upgrade, the client's messages as UTF-8 constants, and a parser that classifies each message
/// received without allocating. See <c>docs/venue-ascendex.md</c> ("After the Ack").
/// </summary>
/// <remarks>Stateless; any thread.</remarks>
internal static class OrderStreamProtocol
{
    /// <summary>The upgrade's API-key header, as for REST.</summary>
    public const string KeyHeader = "x-auth-key";

    /// <summary>The upgrade's timestamp header: the 13 digits that are also signed.</summary>
    public const string TimestampHeader = "x-auth-timestamp";

    /// <summary>The upgrade's signature header: <c>Base64(HMAC-SHA256(secret, "&lt;timestamp&gt;+&lt;prehash&gt;"))</c>.</summary>
    public const string SignatureHeader = "x-auth-signature";

    /// <summary>The v1 prehash: <c>stream</c>.</summary>
    public const string V1Prehash = "stream";

    /// <summary>The v2 prehash: <c>v2/stream</c>.</summary>
    public const string V2Prehash = "v2/stream";

    /// <summary>The scratch a parse needs for order ids: two candidates (top level and under <c>data</c>) of the longest id kept.</summary>
    public const int OrderIdScratchLength = 2 * MaxOrderIdLength;

    /// <summary>The longest order id kept; a longer one cannot be an order the engine cancels, so its message reads as <see cref="OrderStreamMessageKind.Other"/>.</summary>
    public const int MaxOrderIdLength = OrderId.MaxLength;

    /// <summary>The client's keep-alive, answered by a pong carrying the server's time.</summary>
    public static ReadOnlySpan<byte> Ping => """{"op":"ping"}"""u8;

    /// <summary>The answer to the server's ping; two unanswered pings end the session.</summary>
    public static ReadOnlySpan<byte> Pong => """{"op":"pong"}"""u8;

    /// <summary>The URL path of the stream for an account group: <c>/&lt;group&gt;/api/pro/v1/stream</c> or <c>.../v2/stream</c>.</summary>
    /// <remarks>Allocates: call once per stream.</remarks>
    public static string Path(CancelApiVersion version, string accountGroup) =>
        string.Concat("/", accountGroup, version == CancelApiVersion.V2 ? "/api/pro/v2/stream" : "/api/pro/v1/stream");

    /// <summary>The signed path of the upgrade: <c>stream</c> (v1) or <c>v2/stream</c> (v2).</summary>
    public static string Prehash(CancelApiVersion version) => version == CancelApiVersion.V2 ? V2Prehash : V1Prehash;

    /// <summary>The channel of order messages: <c>order:futures</c> (v1) or <c>futures-order</c> (v2).</summary>
    public static string Channel(CancelApiVersion version) => version == CancelApiVersion.V2 ? "futures-order" : "order:futures";

    /// <summary>The subscription to the order channel: <c>{"op":"sub","id":"oms-orders","ch":"&lt;channel&gt;"}</c>.</summary>
    public static ReadOnlySpan<byte> Subscribe(CancelApiVersion version) => version == CancelApiVersion.V2
        ? """{"op":"sub","id":"oms-orders","ch":"futures-order"}"""u8
        : """{"op":"sub","id":"oms-orders","ch":"order:futures"}"""u8;

    /// <summary>Classifies one whole message; never throws, allocates nothing for a well-formed message.</summary>
    /// <param name="utf8Json">The message's bytes.</param>
    /// <param name="orderIdScratch">At least <see cref="OrderStreamProtocol.OrderIdScratchLength"/> bytes; an order message's id ends up at its start.</param>
    /// <param name="message">What was read; <see cref="OrderStreamMessageKind.Other"/> for anything not understood.</param>
    /// <returns><paramref name="message"/>'s kind.</returns>
    /// <remarks>
    /// Properties are read in any order: the venue writes <c>m</c> first, but JSON does not promise it, so both id
    /// candidates are kept until the end and the message name picks one.
    /// </remarks>
    public static OrderStreamMessageKind Parse(ReadOnlySpan<byte> utf8Json, Span<byte> orderIdScratch, out OrderStreamMessage message)
    {
        Debug.Assert(orderIdScratch.Length >= OrderIdScratchLength, "The caller provides room for both id candidates.");
        message = default;
        try
        {
            message.Kind = ParseCore(utf8Json, orderIdScratch, ref message);
        }
        catch (JsonException)
        {
            message = default;
        }

        return message.Kind;
    }

    private static OrderStreamMessageKind ParseCore(ReadOnlySpan<byte> utf8Json, Span<byte> scratch, ref OrderStreamMessage message)
    {
        var reader = new Utf8JsonReader(utf8Json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return OrderStreamMessageKind.Other;
        }

        Span<byte> topId = scratch[..MaxOrderIdLength];
        Span<byte> dataId = scratch.Slice(MaxOrderIdLength, MaxOrderIdLength);
        var name = OrderStreamMessageKind.Other;
        bool nameFromM = false;
        int topIdLength = -1;
        int dataIdLength = -1;
        var topStatus = VenueOrderStatus.Unknown;
        var dataStatus = VenueOrderStatus.Unknown;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (AnswerFields.TextEquals(ref reader, "m"u8))
            {
                reader.Read();
                name = MatchName(ref reader);
                nameFromM = true;
            }
            else if (AnswerFields.TextEquals(ref reader, "op"u8))
            {
                reader.Read();
                if (!nameFromM)
                {
                    name = MatchName(ref reader);
                }
            }
            else if (AnswerFields.TextEquals(ref reader, "type"u8))
            {
                reader.Read();
                message.Authenticated = reader.TokenType == JsonTokenType.String && AnswerFields.TextEquals(ref reader, "auth"u8);
            }
            else if (AnswerFields.TextEquals(ref reader, "code"u8))
            {
                reader.Read();
                message.Code = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long code) ? code : -1;
            }
            else if (AnswerFields.TextEquals(ref reader, "ts"u8))
            {
                reader.Read();
                message.ServerTimeMs = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long ts) ? ts : 0;
            }
            else if (AnswerFields.TextEquals(ref reader, "orderId"u8))
            {
                reader.Read();
                topIdLength = ReadId(ref reader, topId);
            }
            else if (AnswerFields.TextEquals(ref reader, "st"u8))
            {
                reader.Read();
                topStatus = OrderStatusWords.FromToken(ref reader);
            }
            else if (AnswerFields.TextEquals(ref reader, "data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadData(ref reader, dataId, ref dataIdLength, ref dataStatus);
                }
            }
            else
            {
                reader.Read();
            }

            // A value of an unexpected shape (an object where a string belongs) is stepped over whole.
            reader.Skip();
        }

        // At the end of input a truncated message stops on an inner EndObject instead of throwing; whatever follows the
        // message's own EndObject makes it malformed.
        if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0 || reader.Read())
        {
            return OrderStreamMessageKind.Other;
        }

        switch (name)
        {
            case OrderStreamMessageKind.Order when dataIdLength > 0:
                dataId[..dataIdLength].CopyTo(scratch);
                message.OrderIdLength = dataIdLength;
                message.Status = dataStatus;
                return OrderStreamMessageKind.Order;
            case OrderStreamMessageKind.Order:
                return OrderStreamMessageKind.Other;
            case FlatOrder when topIdLength > 0:
                message.OrderIdLength = topIdLength;
                message.Status = topStatus;
                return OrderStreamMessageKind.Order;
            case FlatOrder:
                return OrderStreamMessageKind.Other;
            default:
                return name;
        }
    }

    // The v2 message name, told apart from v1's until the end picks where its id is; never returned.
    private const OrderStreamMessageKind FlatOrder = (OrderStreamMessageKind)0xFF;

    // From the value of "m" or "op".
    private static OrderStreamMessageKind MatchName(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return OrderStreamMessageKind.Other;
        }

        return AnswerFields.TextEquals(ref reader, "order"u8) ? OrderStreamMessageKind.Order
            : AnswerFields.TextEquals(ref reader, "futures-order"u8) ? FlatOrder
            : AnswerFields.TextEquals(ref reader, "ping"u8) ? OrderStreamMessageKind.Ping
            : AnswerFields.TextEquals(ref reader, "pong"u8) ? OrderStreamMessageKind.Pong
            : AnswerFields.TextEquals(ref reader, "connected"u8) ? OrderStreamMessageKind.Connected
            : AnswerFields.TextEquals(ref reader, "sub"u8) ? OrderStreamMessageKind.SubAck
            : AnswerFields.TextEquals(ref reader, "disconnected"u8) ? OrderStreamMessageKind.Disconnected
            : OrderStreamMessageKind.Other;
    }

    // From the StartObject of "data": the v1 order fields.
    private static void ReadData(ref Utf8JsonReader reader, Span<byte> id, ref int idLength, ref VenueOrderStatus status)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (AnswerFields.TextEquals(ref reader, "orderId"u8))
            {
                reader.Read();
                idLength = ReadId(ref reader, id);
            }
            else if (AnswerFields.TextEquals(ref reader, "st"u8))
            {
                reader.Read();
                status = OrderStatusWords.FromToken(ref reader);
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }
    }

    // The id's unescaped length, or -1 when it is not a string, is empty, or does not fit (then it is no id the engine sent).
    private static int ReadId(ref Utf8JsonReader reader, Span<byte> destination)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return -1;
        }

        if (!reader.ValueIsEscaped)
        {
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            if (raw.Length == 0 || raw.Length > destination.Length)
            {
                return -1;
            }

            raw.CopyTo(destination);
            return raw.Length;
        }

        return CopyEscapedId(ref reader, destination);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CopyEscapedId(ref Utf8JsonReader reader, Span<byte> destination)
    {
        // An escape shortens the text, so a raw value longer than six bytes per kept character cannot fit.
        if (reader.ValueSpan.Length > 6 * destination.Length)
        {
            return -1;
        }

        Span<byte> unescaped = stackalloc byte[6 * MaxOrderIdLength];
        try
        {
            int length = reader.CopyString(unescaped);
            if (length == 0 || length > destination.Length)
            {
                return -1;
            }

            unescaped[..length].CopyTo(destination);
            return length;
        }
        catch (InvalidOperationException)
        {
            // An escape that decodes to a lone surrogate: no id the engine sent.
            return -1;
        }
    }
}
