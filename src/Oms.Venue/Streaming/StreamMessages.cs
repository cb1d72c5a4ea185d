using System.Buffers;
using System.Text;
using System.Text.Json;
using Oms.Venue.Book;

namespace Oms.Venue.Streaming;

/// <summary>Writes what the venue sends on a private stream, in the shapes of the facts sheet ("After the Ack").</summary>
internal sealed class StreamMessages(string accountId)
{
    /// <summary>The first message of an authenticated session.</summary>
    public static readonly byte[] Connected = Encoding.UTF8.GetBytes("{\"m\":\"connected\",\"type\":\"auth\"}");

    /// <summary>The venue's keep-alive, sent when the client has been quiet; the client answers <c>{"op":"pong"}</c>.</summary>
    public static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"m\":\"ping\",\"hp\":3}");

    /// <summary>The code and reason the exchange ends a session with, or refuses a request it cannot read.</summary>
    public const int InvalidRequestCode = 100005;

    /// <summary>The reason that goes with <see cref="InvalidRequestCode"/>.</summary>
    public const string InvalidRequestReason = "INVALID_WS_REQUEST_DATA";

    // Every simulated order is the same resting limit buy, as in the REST answers; only status, fill and timing vary.
    private const string SimulatedQty = "0.1";
    private const string SimulatedPrice = "8000";

    /// <summary>The answer to a client ping: a round trip and a sample of the venue's clock.</summary>
    public static byte[] Pong(long serverMs) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("m", "pong");
        writer.WriteNumber("code", 0);
        writer.WriteNumber("ts", serverMs);
        writer.WriteNumber("hp", 2);
        writer.WriteEndObject();
    });

    /// <summary>The answer to a <c>sub</c> or <c>unsub</c>: code 0, or <see cref="InvalidRequestCode"/> with <c>err</c> for a channel the venue does not serve.</summary>
    public static byte[] SubscriptionAnswer(string m, string id, string channel, string? error) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("m", m);
        writer.WriteString("id", id);
        writer.WriteString("ch", channel);
        writer.WriteNumber("code", error is null ? 0 : InvalidRequestCode);
        if (error is not null)
        {
            writer.WriteString("err", error);
        }

        writer.WriteEndObject();
    });

    /// <summary>The answer to a message the venue cannot read or an <c>op</c> it does not know.</summary>
    public static byte[] Error(string id, string info) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("m", "error");
        writer.WriteString("id", id);
        writer.WriteNumber("code", InvalidRequestCode);
        writer.WriteString("reason", InvalidRequestReason);
        writer.WriteString("info", info);
        writer.WriteEndObject();
    });

    /// <summary>The last message of a session the venue ends.</summary>
    public static byte[] Disconnected(string info) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("m", "disconnected");
        writer.WriteNumber("code", InvalidRequestCode);
        writer.WriteString("reason", InvalidRequestReason);
        writer.WriteString("info", info);
        writer.WriteEndObject();
    });

    /// <summary>
    /// v1: <c>{"m":"order","accountId","ac":"FUTURES","execId","txNum":0,"data":{"orderId","s","st","cfq","q","p","sd","ot","t","sn","err"}}</c>;
    /// v2: <c>{"m":"futures-order","accountId","ac","orderId","s","st","cfq","q","p","sd","ot","t","sn","err"}</c>, fields at the top level.
    /// </summary>
    public void WriteOrder(Utf8JsonWriter writer, StreamedOrder streamed, bool flat)
    {
        writer.WriteStartObject();
        writer.WriteString("m", flat ? "futures-order" : "order");
        writer.WriteString("accountId", accountId);
        writer.WriteString("ac", "FUTURES");
        if (!flat)
        {
            writer.WriteNumber("execId", streamed.ExecId);
            writer.WriteNumber("txNum", 0);
            writer.WriteStartObject("data");
        }

        var order = streamed.Order;
        writer.WriteString("orderId", order.OrderId);
        writer.WriteString("s", order.Symbol);
        writer.WriteString("st", order.Status.ToString());
        writer.WriteString("cfq", order.Status == OrderStatus.Filled ? SimulatedQty : "0");
        writer.WriteString("q", SimulatedQty);
        writer.WriteString("p", SimulatedPrice);
        writer.WriteString("sd", "Buy");
        writer.WriteString("ot", "Limit");
        writer.WriteNumber("t", order.LastExecTimeMs);
        writer.WriteNumber("sn", order.SeqNum);
        writer.WriteString("err", "");
        if (!flat)
        {
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
