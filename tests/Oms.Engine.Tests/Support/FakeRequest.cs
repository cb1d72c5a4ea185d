namespace Oms.Engine.Tests.Support;

/// <summary>One request the engine handed to a <see cref="FakeSender"/>, with its JSON body taken apart.</summary>
/// <param name="Index">Its place in send order, from 0.</param>
/// <param name="Token">The transport token the engine gave it; answers quote it.</param>
/// <param name="Method">The template's method.</param>
/// <param name="Path">The template's path, with the request's query when it has one.</param>
/// <param name="Timestamp">The first variable header value (<c>x-auth-timestamp</c>).</param>
/// <param name="Signature">The second variable header value (<c>x-auth-signature</c>).</param>
/// <param name="Body">The body's bytes.</param>
/// <param name="FieldNames">The body's top-level property names in order; empty when it is not a JSON object.</param>
/// <param name="Id">The body's <c>id</c>, or null.</param>
/// <param name="OrderId">The body's <c>orderId</c>, or null.</param>
/// <param name="Symbol">The body's <c>symbol</c>, or null.</param>
/// <param name="Time">The body's <c>time</c>, or null.</param>
/// <param name="RecordedTicks">Stopwatch ticks when the fake recorded it, on the consumer thread.</param>
internal sealed record FakeRequest(
    int Index,
    long Token,
    string Method,
    string Path,
    string Timestamp,
    string Signature,
    byte[] Body,
    IReadOnlyList<string> FieldNames,
    string? Id,
    string? OrderId,
    string? Symbol,
    long? Time,
    long RecordedTicks)
{
    /// <summary>The body as text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Builds a record from the bytes a <see cref="FakeSender"/> slot holds; never throws on odd bodies.</summary>
    public static FakeRequest From(int index, long token, Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long ticks)
    {
        var names = new List<string>();
        string? id = null, orderId = null, symbol = null;
        long? time = null;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    names.Add(property.Name);
                    switch (property.Name)
                    {
                        case "id" when property.Value.ValueKind == JsonValueKind.String:
                            id = property.Value.GetString();
                            break;
                        case "orderId" when property.Value.ValueKind == JsonValueKind.String:
                            orderId = property.Value.GetString();
                            break;
                        case "symbol" when property.Value.ValueKind == JsonValueKind.String:
                            symbol = property.Value.GetString();
                            break;
                        case "time" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var t):
                            time = t;
                            break;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the fields stay null and the test sees the raw body.
        }

        return new FakeRequest(
            index,
            token,
            template.Method,
            template.Path + Encoding.ASCII.GetString(pathQuery),
            Encoding.ASCII.GetString(firstVariableValue),
            Encoding.ASCII.GetString(secondVariableValue),
            body.ToArray(),
            names,
            id,
            orderId,
            symbol,
            time,
            ticks);
    }
}
