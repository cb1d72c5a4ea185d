using Microsoft.AspNetCore.Http;
using Oms.Venue.Book;
using Oms.Venue.Stats;

namespace Oms.Venue.Handling;

/// <summary>Serves the order status and open-orders queries from the book (facts sheet, "After the Ack").</summary>
/// <remarks>
/// Signed like a cancel, over the endpoint's prehash and never the query string; refused the same way. The cancel
/// endpoint's stream and answer faults do not apply here; <see cref="VenueFaults.StatusDelayMs"/> and
/// <see cref="VenueFaults.StatusFails"/> (status only) do.
/// Refusals are not counted under <see cref="VenueStats.Count(VenueCheck)"/>, which stays about cancels.
/// </remarks>
internal sealed class OrderQueryEndpoint
{
    /// <summary><c>GET /{group}/api/pro/v1/futures/order/status</c>, prehash <c>order/status</c>.</summary>
    public const string V1StatusPath = "/api/pro/v1/futures/order/status";

    /// <summary><c>GET /{group}/api/pro/v2/futures/order/status</c>, prehash <c>v2/futures/order/status</c>.</summary>
    public const string V2StatusPath = "/api/pro/v2/futures/order/status";

    /// <summary><c>GET /{group}/api/pro/v1/futures/order/open</c>, prehash <c>order/open</c>.</summary>
    public const string OpenOrdersPath = "/api/pro/v1/futures/order/open";

    private readonly VenueServer _venue;
    private readonly VenueAnswers _answers;
    private readonly SignatureVerifier _v1Status;
    private readonly SignatureVerifier _v2Status;
    private readonly SignatureVerifier _open;
    private readonly bool _leaveOutUnknownIds;

    public OrderQueryEndpoint(VenueServer venue, string accountId, bool leaveOutUnknownIds)
    {
        _venue = venue;
        _answers = new VenueAnswers(accountId);
        _v1Status = new SignatureVerifier(venue.Credentials.ApiSecret, "order/status");
        _v2Status = new SignatureVerifier(venue.Credentials.ApiSecret, "v2/futures/order/status");
        _open = new SignatureVerifier(venue.Credentials.ApiSecret, "order/open");
        _leaveOutUnknownIds = leaveOutUnknownIds;
    }

    public Task HandleStatusAsync(HttpContext context, string accountGroup, bool v2)
    {
        _venue.Stats.OnStatusRequest();
        var failed = RequestChecks.FirstFailure(context.Request, _venue.Credentials, accountGroup, HttpMethods.Get, v2 ? _v2Status : _v1Status, _venue.NowMs());
        if (failed is null && _venue.Faults.StatusFails)
        {
            return AnswerAsync(context, VenueAnswers.ServerErrorJson, StatusCodes.Status500InternalServerError);
        }

        return AnswerAsync(context, failed is { } f ? Refusal(f.Check, f.Message) : Status(context.Request.Query["orderId"].ToString()));
    }

    public Task HandleOpenOrdersAsync(HttpContext context, string accountGroup)
    {
        _venue.Stats.OnOpenOrdersRequest();
        var failed = RequestChecks.FirstFailure(context.Request, _venue.Credentials, accountGroup, HttpMethods.Get, _open, _venue.NowMs());
        return AnswerAsync(context, failed is { } f ? Refusal(f.Check, f.Message) : _answers.OrderList(_venue.Book.OpenOrders(), asList: true));
    }

    private byte[] Status(string orderIdParameter)
    {
        // One id answers an object; several, or one followed by a comma, answer a list (facts sheet).
        var pieces = orderIdParameter.Split(',');
        var asList = pieces.Length > 1;
        var orders = new List<OrderView>(pieces.Length);
        foreach (var piece in pieces)
        {
            if (piece.Length == 0)
            {
                continue;
            }

            if (_venue.Book.TryGetOrder(piece, out var order))
            {
                orders.Add(order);
            }
            else if (!_leaveOutUnknownIds)
            {
                return Refusal(VenueCheck.UnknownOrder, $"Unknown order id '{piece}'.");
            }
        }

        if (orders.Count == 0 && pieces.All(piece => piece.Length == 0))
        {
            return Refusal(VenueCheck.InvalidFields, "Query parameter orderId must name at least one order id.");
        }

        // A single unknown id left out leaves no object to answer: the answer is then an empty list.
        return _answers.OrderList(orders, asList || orders.Count == 0);
    }

    private static byte[] Refusal(VenueCheck check, string message)
    {
        var (code, reason) = VenueErrorCatalog.For(check);
        return VenueAnswers.ShortErr(code, reason, message);
    }

    private async Task AnswerAsync(HttpContext context, byte[] body, int status = StatusCodes.Status200OK)
    {
        var delayMs = _venue.Faults.StatusDelayMs;
        if (delayMs > 0)
        {
            try
            {
                await Task.Delay(delayMs, _venue.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
                return;
            }
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
