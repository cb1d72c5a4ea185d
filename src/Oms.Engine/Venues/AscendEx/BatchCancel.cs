using System.Text.Json;

namespace Oms.Engine.Venues.AscendEx;

/// <summary>One order as a batch answer names it: its ids, and for a refused batch its own code, reason and message.</summary>
internal struct BatchAnswerItem
{
    public const int MessageCapacity = 128;

    public InlineAscii OrderId;
    public InlineAscii EchoedId;
    public bool HasCode;
    public long Code;
    public VenueReason Reason;
    public int MessageLength;
}

/// <summary>
/// The venue's batch cancel (<c>DELETE /&lt;group&gt;/api/pro/v1/futures/order/batch</c>, signed over <c>order/batch</c>;
/// v2 under <c>api/pro/v2</c>, signed over <c>v2/futures/order/batch</c>): at most <see cref="MaxOrders"/> orders of any
/// symbols, all or nothing. Its template, its body and the per-order part of its answer.
/// </summary>
/// <remarks>
/// An Ack lists each order under <c>data.info[]</c> with the request id it was sent with. A refusal
/// (<c>300013 INVALID_BATCH_ORDER</c>) lists each order that failed the venue's basic checks under the top-level
/// <c>info[]</c>, with its own code, reason and message: nothing in the batch was cancelled.
/// </remarks>
internal static class BatchCancel
{
    /// <summary>The most orders one batch carries.</summary>
    public const int MaxOrders = 10;

    /// <summary>The code of a batch refused because some of its orders failed their checks.</summary>
    public const long RefusedCode = 300013;

    /// <summary>The string signed with the timestamp.</summary>
    public static string Prehash(CancelProfile profile) =>
        profile.Version == CancelApiVersion.V1 ? "order/batch" : "v2/futures/order/batch";

    /// <summary>The request's template: DELETE on the profile's batch path, JSON and the API key constant.</summary>
    public static Http2RequestTemplate CreateTemplate(CancelProfile profile, string accountGroup, string apiKey) =>
        new(
            CancelProfile.Method,
            profile.BuildPath(accountGroup) + "/batch",
            [new("content-type", "application/json"), new("x-auth-key", apiKey)],
            [new("x-auth-timestamp", false), new("x-auth-signature", true)]);

    /// <summary>
    /// Reads an answer's code and the orders its <c>info[]</c> lists (under <c>data</c> for an Ack, at the top for a
    /// refusal), at most <paramref name="items"/>' length of them.
    /// </summary>
    /// <returns>False when the body is not JSON, has no code, or lists no <c>info[]</c> array.</returns>
    public static bool TryParseAnswer(ReadOnlySpan<byte> body, Span<BatchAnswerItem> items, Span<byte> messages, out int count, out long code)
    {
        count = 0;
        code = -1;
        var sawInfo = false;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out code))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("info"u8))
                {
                    reader.Read();
                    sawInfo |= ReadInfo(ref reader, items, messages, ref count);
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isInfo = reader.ValueTextEquals("info"u8);
                        reader.Read();
                        if (isInfo)
                        {
                            sawInfo |= ReadInfo(ref reader, items, messages, ref count);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return code >= 0 && sawInfo;
    }

    /// <summary>The message the answer gave item <paramref name="index"/>, from the bytes <see cref="TryParseAnswer"/> kept.</summary>
    public static ReadOnlySpan<byte> MessageOf(ReadOnlySpan<byte> messages, in BatchAnswerItem item, int index) =>
        messages.Slice(index * BatchAnswerItem.MessageCapacity, item.MessageLength);

    private static bool ReadInfo(ref Utf8JsonReader reader, Span<BatchAnswerItem> items, Span<byte> messages, ref int count)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var item = default(BatchAnswerItem);
            var slot = count < items.Length ? messages.Slice(count * BatchAnswerItem.MessageCapacity, BatchAnswerItem.MessageCapacity) : default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("orderId"u8))
                {
                    reader.Read();
                    CopyId(ref reader, ref item.OrderId);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    CopyId(ref reader, ref item.EchoedId);
                }
                else if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    item.HasCode = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out item.Code);
                }
                else if (reader.ValueTextEquals("reason"u8))
                {
                    reader.Read();
                    item.Reason = reader.TokenType == JsonTokenType.String ? AnswerFields.MatchReason(ref reader) : VenueReason.Other;
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && !slot.IsEmpty)
                    {
                        AnswerFields.CopyRaw(ref reader, slot, out item.MessageLength);
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (item.HasCode && item.Reason == VenueReason.None)
            {
                item.Reason = VenueErrorCodes.ReasonOf(item.Code);
            }

            if (item.OrderId.Length > 0 && count < items.Length)
            {
                items[count++] = item;
            }
        }

        return true;
    }

    private static void CopyId(ref Utf8JsonReader reader, ref InlineAscii destination)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Length <= InlineAscii.Capacity)
        {
            reader.ValueSpan.CopyTo(destination.Reset(reader.ValueSpan.Length));
        }
    }
}

/// <summary>Writes a batch cancel's body, <c>{"orders":[{"id","orderId","symbol","time"},...]}</c>, into a reused buffer.</summary>
/// <remarks>Consumer thread; nothing allocates after construction. The structure is fixed, so the writer skips validation.</remarks>
internal sealed class BatchCancelWriter : IDisposable
{
    private static readonly JsonEncodedText s_orders = JsonEncodedText.Encode("orders"u8);

    private readonly FixedBufferWriter _buffer;
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText _respInstValue;
    private readonly bool _writeRespInst;

    public BatchCancelWriter(CancelProfile profile)
    {
        // Each order at most its single cancel's bound; the envelope is a few bytes.
        _buffer = new FixedBufferWriter(64 + (BatchCancel.MaxOrders * CancelRequestWriter.CapacityFor(profile)));
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        if (profile.RespInstText is { } respInst)
        {
            _writeRespInst = true;
            _respInstValue = JsonEncodedText.Encode(respInst);
        }
    }

    /// <summary>Starts a new body.</summary>
    public void Begin()
    {
        _json.Reset();
        _buffer.Clear();
        _json.WriteStartObject();
        _json.WriteStartArray(s_orders);
    }

    /// <summary>Adds one order (the caller keeps to <see cref="BatchCancel.MaxOrders"/> and to the profile's field bounds).</summary>
    public void Add(ReadOnlySpan<byte> requestId, ReadOnlySpan<byte> orderId, ReadOnlySpan<byte> symbol, long timeMs) =>
        CancelRequestWriter.WriteOrder(_json, requestId, orderId, symbol, timeMs, _writeRespInst, in _respInstValue);

    /// <summary>Ends the body and returns it; valid until the next <see cref="Begin"/>.</summary>
    public ReadOnlySpan<byte> End()
    {
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan;
    }

    public void Dispose() => _json.Dispose();
}
