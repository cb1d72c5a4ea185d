using System.Text.Json;
using Oms.Engine.Signing;

namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// The venue's open-orders query (<c>GET /&lt;group&gt;/api/pro/v1/futures/order/open</c>, signed over
/// <c>order/open</c>): its path, its signed headers, and the orders its answer lists. Off the hot path: a run asks
/// it once, to learn what to cancel.
/// </summary>
internal static class OpenOrdersQuery
{
    public const string Prehash = "order/open";

    public static string Path(string accountGroup) => "/" + accountGroup + "/api/pro/v1/futures/order/open";

    /// <summary>The three authentication headers for a query signed at <paramref name="timestampMs"/>.</summary>
    public static (string Name, string Value)[] Headers(ApiCredentials credentials, long timestampMs) =>
        VenueQueries.SignedHeaders(credentials, Prehash, timestampMs);

    /// <summary>The open orders an answer lists, as (symbol, order id).</summary>
    /// <exception cref="VenueQueryException">The answer is not a success (its code, reason and message say why) or not the documented shape.</exception>
    public static IReadOnlyList<(string Symbol, string OrderId)> ParseAnswer(ReadOnlySpan<byte> body) =>
        [.. ParseOrders(body).Select(order => (order.Symbol, order.OrderId))];

    /// <summary>The orders a status or open-orders answer lists (its <c>data</c>, an object or a list).</summary>
    /// <exception cref="VenueQueryException">The answer is not a success (its code, reason and message say why) or not the documented shape.</exception>
    public static IReadOnlyList<VenueOrder> ParseOrders(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            var code = root.TryGetProperty("code", out var codeElement) && codeElement.TryGetInt64(out var value) ? value : -1;
            if (code != 0)
            {
                throw new VenueQueryException(
                    code,
                    $"{code} {Text(root, "reason")}: {Text(root, "message")}");
            }

            var data = root.GetProperty("data");
            var orders = new List<VenueOrder>();
            foreach (var entry in data.ValueKind == JsonValueKind.Object ? [data] : data.EnumerateArray().ToArray())
            {
                orders.Add(new VenueOrder(entry.GetProperty("orderId").GetString()!, entry.GetProperty("symbol").GetString()!, Text(entry, "status")));
            }

            return orders;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new VenueQueryException(-1, "the answer is not the documented shape: " + e.Message);
        }
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString()! : "";
}
