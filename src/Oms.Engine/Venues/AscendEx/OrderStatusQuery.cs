using System.Text.Json;

namespace Oms.Engine.Venues.AscendEx;

/// <summary>One order's status as a status answer lists it.</summary>
internal struct OrderStatusItem
{
    public OrderId OrderId;
    public VenueOrderStatus Status;
}

/// <summary>
/// The venue's order-status query by id (<c>GET /&lt;group&gt;/api/pro/v1/futures/order/status?orderId=a,b,</c>, signed
/// over <c>order/status</c>; v2 under <c>api/pro/v2</c>, signed over <c>v2/futures/order/status</c>): its template, its
/// query, and the statuses its answer lists. Consumer thread; nothing here allocates after start.
/// </summary>
/// <remarks>
/// The query always ends with a comma, so even one id is answered as a list (one id without it is answered as an
/// object; the parser reads both). The body and the query string are never signed, as for every request.
/// </remarks>
internal static class OrderStatusQuery
{
    private static ReadOnlySpan<byte> QueryStart => "?orderId="u8;

    /// <summary>The string signed with the timestamp.</summary>
    public static string Prehash(CancelProfile profile) =>
        profile.Version == CancelApiVersion.V1 ? "order/status" : "v2/futures/order/status";

    /// <summary>The request's template: GET on the profile's status path, the API key constant, timestamp and signature per request.</summary>
    public static Http2RequestTemplate CreateTemplate(CancelProfile profile, string accountGroup, string apiKey) =>
        new(
            "GET",
            profile.BuildPath(accountGroup) + "/status",
            [new("x-auth-key", apiKey)],
            [new("x-auth-timestamp", false), new("x-auth-signature", true)]);

    /// <summary>The longest query <paramref name="ids"/> ids of at most <see cref="OrderId.MaxLength"/> make.</summary>
    public static int MaxQueryLength(int ids) => QueryStart.Length + (ids * (OrderId.MaxLength + 1));

    /// <summary>Writes <c>?orderId=a,b,</c> for <paramref name="ids"/>; returns the length written.</summary>
    public static int WriteQuery(ReadOnlySpan<OrderId> ids, Span<byte> destination)
    {
        QueryStart.CopyTo(destination);
        var length = QueryStart.Length;
        foreach (ref readonly var id in ids)
        {
            id.Span.CopyTo(destination[length..]);
            length += id.Length;
            destination[length++] = (byte)',';
        }

        return length;
    }

    /// <summary>
    /// Reads an answer: its <c>code</c>, and the <c>orderId</c> and <c>status</c> of each entry of <c>data</c> (an object
    /// or a list), at most <paramref name="items"/>' length of them.
    /// </summary>
    /// <returns>
    /// False when the body is not the documented shape: not JSON, no code, data neither object nor list, or an entry
    /// without an order id and a status (an answer to another question must never read as "no such order").
    /// </returns>
    public static bool TryParseAnswer(ReadOnlySpan<byte> body, Span<OrderStatusItem> items, out int count, out long code)
    {
        count = 0;
        code = -1;
        var sawData = false;
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
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    sawData = true;
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        if (!ReadEntry(ref reader, items, ref count))
                        {
                            return false;
                        }
                    }
                    else if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType != JsonTokenType.StartObject || !ReadEntry(ref reader, items, ref count))
                            {
                                return false;
                            }
                        }
                    }
                    else
                    {
                        return false;
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

        // An error answer carries no data; a success must.
        return code > 0 || (code == 0 && sawData);
    }

    /// <summary>One entry of <c>data</c>; false when it lacks an order id or a status (not a status entry at all).</summary>
    private static bool ReadEntry(ref Utf8JsonReader reader, Span<OrderStatusItem> items, ref int count)
    {
        Span<byte> id = stackalloc byte[OrderId.MaxLength];
        var idLength = -1;
        var status = VenueOrderStatus.Unknown;
        var sawStatus = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("orderId"u8))
            {
                reader.Read();
                idLength = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Length is > 0 and <= OrderId.MaxLength
                    ? Copy(reader.ValueSpan, id)
                    : -1;
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                sawStatus = reader.TokenType == JsonTokenType.String;
                status = OrderStatusWords.FromToken(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (idLength <= 0 || !sawStatus)
        {
            return false;
        }

        if (count < items.Length)
        {
            items[count].OrderId = OrderId.FromAscii(id[..idLength]);
            items[count].Status = status;
            count++;
        }

        return true;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
