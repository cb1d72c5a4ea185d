using System.Text.Json;

namespace Oms.Venue.Streaming;

/// <summary>A client message on the private stream: <c>{"op":"sub","id":"...","ch":"..."}</c>, <c>{"op":"ping"}</c>, <c>{"op":"pong"}</c>.</summary>
/// <param name="Op">The operation; empty when absent.</param>
/// <param name="Id">The client's request id, echoed in the answer; empty when absent.</param>
/// <param name="Channel">The channel of a <c>sub</c> or <c>unsub</c>; empty when absent.</param>
internal readonly record struct StreamRequest(string Op, string Id, string Channel)
{
    /// <summary>Reads the top-level string fields the venue acts on; false when the text is not a JSON object.</summary>
    /// <remarks>Other fields, and nested values, are skipped: the exchange's clients send more than the venue reads.</remarks>
    public static bool TryRead(ReadOnlySpan<byte> utf8, out StreamRequest request)
    {
        request = new StreamRequest("", "", "");
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string op = "", id = "", channel = "";
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                var isOp = name.SequenceEqual("op"u8);
                var isId = name.SequenceEqual("id"u8);
                var isChannel = name.SequenceEqual("ch"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.String && (isOp || isId || isChannel))
                {
                    var value = reader.GetString() ?? "";
                    (op, id, channel) = isOp ? (value, id, channel) : isId ? (op, value, channel) : (op, id, value);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            request = new StreamRequest(op, id, channel);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
