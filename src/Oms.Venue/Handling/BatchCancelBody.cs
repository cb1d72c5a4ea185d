using System.Text.Json;
using Oms.Venue.Stats;

namespace Oms.Venue.Handling;

/// <summary>A batch cancel's body, <c>{"orders":[{"id","orderId","symbol","time"},...]}</c>, read and checked order by order.</summary>
internal sealed class BatchCancelBody
{
    /// <summary>The most orders one batch may name (facts sheet, "Batch cancel").</summary>
    public const int MaxOrders = 10;

    private readonly List<CancelRequestBody> _orders = [];

    /// <summary>The orders in request order, each with its own value-check failure if it has one.</summary>
    public IReadOnlyList<CancelRequestBody> Orders => _orders;

    /// <summary>Why the whole body failed (not JSON, not the shape, no orders or too many), and a message; null when it was read.</summary>
    public VenueCheck? Failure { get; private set; }

    public string FailureMessage { get; private set; } = "";

    /// <summary>Reads the body; the orders' value checks run as a single cancel's would, but the book is not consulted.</summary>
    public static BatchCancelBody Read(ReadOnlySpan<byte> body, VenueApiProfile profile, long nowMs)
    {
        var result = new BatchCancelBody();
        try
        {
            result.ReadOrders(body, profile, nowMs);
        }
        catch (JsonException)
        {
            result.Fail(VenueCheck.InvalidJson, "The request body is not valid JSON.");
        }

        if (result.Failure is null && result._orders.Count is 0 or > MaxOrders)
        {
            result.Fail(VenueCheck.InvalidFields, $"Field 'orders' must list 1 to {MaxOrders} orders, not {result._orders.Count}.");
        }

        return result;
    }

    private void ReadOrders(ReadOnlySpan<byte> body, VenueApiProfile profile, long nowMs)
    {
        var reader = new Utf8JsonReader(body, CancelRequestBody.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            Fail(VenueCheck.InvalidJson, "The request body is not a JSON object.");
            return;
        }

        var seenOrders = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("orders"u8) || seenOrders)
            {
                Fail(VenueCheck.InvalidFields, $"Unexpected field '{reader.GetString()}': a batch body has one field, 'orders'.");
                return;
            }

            seenOrders = true;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                Fail(VenueCheck.InvalidFields, "Field 'orders' must be a list of orders.");
                return;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    Fail(VenueCheck.InvalidFields, $"Entry {_orders.Count} of 'orders' is not an object.");
                    return;
                }

                var order = CancelRequestBody.ReadBatchEntry(ref reader, profile, nowMs);
                if (order.FailedToRead)
                {
                    Fail(order.Failure!.Value, $"Entry {_orders.Count} of 'orders': {order.FailureMessage}");
                    return;
                }

                _orders.Add(order);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            Fail(VenueCheck.InvalidJson, "The request body is not one JSON object.");
            return;
        }

        if (!seenOrders)
        {
            Fail(VenueCheck.InvalidFields, "Field 'orders' is required.");
        }
    }

    private void Fail(VenueCheck check, string message)
    {
        Failure = check;
        FailureMessage = message;
    }
}
