using System.Text.Json;
using Oms.Engine.Signing;

namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// The venue's cancel-all (<c>DELETE /&lt;group&gt;/api/pro/v1/futures/order/all</c>, signed over <c>order/all</c>;
/// v2 under <c>api/pro/v2</c>, signed over <c>v2/futures/order/all</c>; optional body <c>{"symbol":...}</c>): its path,
/// signed headers, body, and whether its answer is the documented Ack. Off the hot path: a cancel-all sends it once.
/// </summary>
/// <remarks>
/// Best effort by the venue's own words (docs/venue-ascendex.md, "Cancel-all"): orders sent but not yet acknowledged
/// are not cancelled, so an Ack proves nothing about the book; the open orders are asked afterwards.
/// </remarks>
internal static class CancelAllQuery
{
    /// <summary>The string signed with the timestamp.</summary>
    public static string Prehash(CancelProfile profile) => profile.Version == CancelApiVersion.V1 ? "order/all" : "v2/futures/order/all";

    /// <summary>The profile's cancel path with <c>/all</c>.</summary>
    public static string Path(CancelProfile profile, string accountGroup) => profile.BuildPath(accountGroup) + "/all";

    /// <summary>The three authentication headers for a request signed at <paramref name="timestampMs"/>.</summary>
    public static (string Name, string Value)[] Headers(CancelProfile profile, ApiCredentials credentials, long timestampMs) =>
        VenueQueries.SignedHeaders(credentials, Prehash(profile), timestampMs);

    /// <summary>The body: <c>{"symbol":"..."}</c> for one symbol, <c>{}</c> for the whole account.</summary>
    public static byte[] Body(string? symbol)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (symbol is not null)
            {
                writer.WriteString("symbol"u8, symbol);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads an answer: success when its <c>code</c> is 0.</summary>
    /// <exception cref="VenueQueryException">The venue refused it (its code, reason and message say why) or answered another shape.</exception>
    public static void ParseAnswer(ReadOnlySpan<byte> body)
    {
        long code;
        string reason;
        string message;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            code = root.TryGetProperty("code", out var codeElement) && codeElement.TryGetInt64(out var value) ? value : -1;
            reason = Text(root, "reason");
            message = Text(root, "message");
        }
        catch (JsonException e)
        {
            throw new VenueQueryException(-1, "the answer is not the documented shape: " + e.Message);
        }

        if (code != 0)
        {
            throw new VenueQueryException(code, code == -1 ? "the answer carries no code" : $"{code} {reason}: {message}");
        }
    }

    private static string Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString()! : "";
}
