using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Oms.Venue.Handling;

/// <summary>Writes the bodies the venue answers with, in the shapes of the contract and the facts sheet.</summary>
internal sealed class VenueAnswers(string accountId)
{
    /// <summary>The HTML page a CDN answers with HTTP 429: not JSON, as the facts sheet warns.</summary>
    public static readonly byte[] TooManyRequestsHtml = Encoding.ASCII.GetBytes(
        "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>edge</center>\r\n</body>\r\n</html>\r\n");

    /// <summary>The HTML page a CDN answers with HTTP 403.</summary>
    public static readonly byte[] ForbiddenHtml = Encoding.ASCII.GetBytes(
        "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>edge</center>\r\n</body>\r\n</html>\r\n");

    /// <summary>A page a proxy in front of the venue may answer with HTTP 200: not JSON, and no verdict on the cancel.</summary>
    public static readonly byte[] NonJsonHtml = Encoding.ASCII.GetBytes(
        "<html>\r\n<head><title>Service Notice</title></head>\r\n<body>\r\n<center><h1>Please try again later</h1></center>\r\n<hr><center>edge</center>\r\n</body>\r\n</html>\r\n");

    /// <summary>The JSON of an HTTP 500.</summary>
    public static readonly byte[] ServerErrorJson = Encoding.UTF8.GetBytes(
        "{\"code\":510001,\"reason\":\"SERVER_ERROR\",\"message\":\"Internal server error, please retry later.\"}");

    private const string AccountCategory = "FUTURES";
    private const string SimulatedQty = "0.1";
    private const string SimulatedPrice = "8000";
    private const string SimulatedFee = "0.4";

    /// <summary>v1 Ack: <c>{"code":0,"data":{"accountId","ac","action","status":"Ack","info":{"id","orderId","orderType","symbol","timestamp"}}}</c>.</summary>
    public byte[] V1Ack(string requestId, string orderId, string symbol, long nowMs) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", 0);
        writer.WriteStartObject("data");
        writer.WriteString("accountId", accountId);
        writer.WriteString("ac", AccountCategory);
        writer.WriteString("action", "cancel-order");
        writer.WriteString("status", "Ack");
        writer.WriteStartObject("info");
        writer.WriteString("id", requestId);
        writer.WriteString("orderId", orderId);
        writer.WriteString("orderType", "");
        writer.WriteString("symbol", symbol);
        writer.WriteNumber("timestamp", nowMs);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>v2 success: <c>{"code":0,"data":{"meta":{"action","id","respInst"},"order":{...}}}</c>.</summary>
    /// <remarks>In ACK mode the order may still read <c>New</c>: the cancel was received, not yet done.</remarks>
    public byte[] V2Ack(string? requestId, string orderId, string symbol, string respInst, long nowMs) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", 0);
        writer.WriteStartObject("data");
        writer.WriteStartObject("meta");
        writer.WriteString("action", "cancel-order");
        writer.WriteString("id", requestId ?? "");
        writer.WriteString("respInst", respInst);
        writer.WriteEndObject();
        writer.WriteStartObject("order");
        writer.WriteString("ac", AccountCategory);
        writer.WriteString("accountId", accountId);
        writer.WriteNumber("time", nowMs);
        writer.WriteString("orderId", orderId);
        writer.WriteString("symbol", symbol);
        writer.WriteString("orderType", "Limit");
        writer.WriteString("status", respInst == "ACK" ? "New" : "Canceled");
        writer.WriteNumber("lastExecTime", nowMs);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>
    /// v1 batch Ack: <c>{"code":0,"data":{"ac","accountId","action":"batch-cancel-order","status":"Ack","info":[{"id","orderId","orderType","symbol","timestamp"},...]}}</c>.
    /// </summary>
    public byte[] BatchAck(IReadOnlyList<CancelRequestBody> orders, long nowMs) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", 0);
        writer.WriteStartObject("data");
        writer.WriteString("ac", AccountCategory);
        writer.WriteString("accountId", accountId);
        writer.WriteString("action", "batch-cancel-order");
        writer.WriteString("status", "Ack");
        writer.WriteStartArray("info");
        foreach (var order in orders)
        {
            writer.WriteStartObject();
            writer.WriteString("id", order.Id ?? "");
            writer.WriteString("orderId", order.OrderId);
            writer.WriteString("orderType", "Limit");
            writer.WriteString("symbol", order.Symbol);
            writer.WriteNumber("timestamp", nowMs);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>
    /// v2 batch success, in the v2 single cancel's style (an assumption: the public pages show no example):
    /// <c>{"code":0,"data":{"meta":{"action":"batch-cancel-order"},"orders":[{"id","respInst","ac","accountId","time","orderId","symbol","orderType","status","lastExecTime"},...]}}</c>.
    /// </summary>
    public byte[] V2BatchAck(IReadOnlyList<CancelRequestBody> orders, long nowMs) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", 0);
        writer.WriteStartObject("data");
        writer.WriteStartObject("meta");
        writer.WriteString("action", "batch-cancel-order");
        writer.WriteEndObject();
        writer.WriteStartArray("orders");
        foreach (var order in orders)
        {
            writer.WriteStartObject();
            writer.WriteString("id", order.Id ?? "");
            writer.WriteString("respInst", order.RespInst);
            writer.WriteString("ac", AccountCategory);
            writer.WriteString("accountId", accountId);
            writer.WriteNumber("time", nowMs);
            writer.WriteString("orderId", order.OrderId);
            writer.WriteString("symbol", order.Symbol);
            writer.WriteString("orderType", "Limit");
            writer.WriteString("status", order.RespInst == "ACK" ? "New" : "Canceled");
            writer.WriteNumber("lastExecTime", nowMs);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>
    /// A batch refused whole (facts sheet, "Batch cancel"): <c>{"code":300013,"reason":"INVALID_BATCH_ORDER","message",
    /// "status":"Err","accountId","ac","action":"batch-cancel-order","info":[{"code","id","orderId","reason","message","symbol":""},...]}</c>,
    /// one entry per order that failed. v2 is assumed to answer the same.
    /// </summary>
    public byte[] BatchErr(IReadOnlyList<BatchOrderFailure> failures) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", 300013);
        writer.WriteString("reason", "INVALID_BATCH_ORDER");
        writer.WriteString("message", "Batch Order failed, please check each order info for detail.");
        writer.WriteString("status", "Err");
        writer.WriteString("accountId", accountId);
        writer.WriteString("ac", AccountCategory);
        writer.WriteString("action", "batch-cancel-order");
        writer.WriteStartArray("info");
        foreach (var failure in failures)
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", failure.Code);
            writer.WriteString("id", failure.Id ?? "");
            writer.WriteString("orderId", failure.OrderId ?? "");
            writer.WriteString("reason", failure.Reason);
            writer.WriteString("message", failure.Message);
            // The exchange's example leaves the symbol empty, whatever the order named.
            writer.WriteString("symbol", "");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>
    /// Cancel-all Ack, v1 and v2 alike (facts sheet, "Cancel-all"): <c>{"code":0,"data":{"ac":"FUTURES","accountId","action":"cancel-all",
    /// "status":"Ack","info":{"id":"","orderId":"","orderType":"NULL_VAL","symbol":"","timestamp"}}}</c>.
    /// </summary>
    public byte[] CancelAllAck(long nowMs) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", 0);
        writer.WriteStartObject("data");
        writer.WriteString("ac", AccountCategory);
        writer.WriteString("accountId", accountId);
        writer.WriteString("action", "cancel-all");
        writer.WriteString("status", "Ack");
        writer.WriteStartObject("info");
        writer.WriteString("id", "");
        writer.WriteString("orderId", "");
        writer.WriteString("orderType", "NULL_VAL");
        writer.WriteString("symbol", "");
        writer.WriteNumber("timestamp", nowMs);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>
    /// The contract's Err, fields at the top level: <c>{"code","accountId","ac","action","status":"Err","message","reason","info":{"id","symbol"}}</c>.
    /// v2 errors are assumed to share this shape (not settled by the public material).
    /// </summary>
    public byte[] OrderErr(int code, string reason, string message, string? requestId, string? symbol) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", code);
        writer.WriteString("accountId", accountId);
        writer.WriteString("ac", AccountCategory);
        writer.WriteString("action", "cancel-order");
        writer.WriteString("status", "Err");
        writer.WriteString("message", message);
        writer.WriteString("reason", reason);
        writer.WriteStartObject("info");
        writer.WriteString("id", requestId ?? "");
        writer.WriteString("symbol", symbol ?? "");
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>
    /// An order status or open-orders answer: <c>{"ac":"FUTURES","accountId","code":0,"data":...}</c>, <c>data</c> an
    /// object for one order or a list. Numbers other than <c>seqNum</c> and <c>lastExecTime</c> are JSON strings.
    /// </summary>
    public byte[] OrderList(IReadOnlyList<Book.OrderView> orders, bool asList) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("ac", AccountCategory);
        writer.WriteString("accountId", accountId);
        writer.WriteNumber("code", 0);
        if (asList)
        {
            writer.WriteStartArray("data");
            foreach (var order in orders)
            {
                WriteOrder(writer, order);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WritePropertyName("data");
            WriteOrder(writer, orders[0]);
        }

        writer.WriteEndObject();
    });

    // Every simulated order is the same resting limit buy; only its status, fill and timing vary.
    private static void WriteOrder(Utf8JsonWriter writer, Book.OrderView order)
    {
        var filled = order.Status == Book.OrderStatus.Filled;
        writer.WriteStartObject();
        writer.WriteString("orderId", order.OrderId);
        writer.WriteString("symbol", order.Symbol);
        writer.WriteString("status", order.Status.ToString());
        writer.WriteString("cumFilledQty", filled ? SimulatedQty : "0");
        writer.WriteString("orderQty", SimulatedQty);
        writer.WriteString("avgPx", filled ? SimulatedPrice : "0");
        writer.WriteString("price", SimulatedPrice);
        writer.WriteString("side", "Buy");
        writer.WriteString("orderType", "Limit");
        writer.WriteNumber("lastExecTime", order.LastExecTimeMs);
        writer.WriteNumber("seqNum", order.SeqNum);
        writer.WriteString("errorCode", "");
        writer.WriteString("execInst", "NULL_VAL");
        writer.WriteString("stopPrice", "0");
        writer.WriteString("cumFee", filled ? SimulatedFee : "0");
        writer.WriteString("feeAsset", "USDT");
        writer.WriteEndObject();
    }

    /// <summary>An error that is not about an order: <c>{"code","reason","message"}</c>, no <c>info.id</c>.</summary>
    public static byte[] ShortErr(int code, string reason, string message) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", code);
        writer.WriteString("reason", reason);
        writer.WriteString("message", message);
        writer.WriteEndObject();
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
