using System.Text.Json;
using Oms.Venue.Stats;

namespace Oms.Venue.Handling;

/// <summary>The fields of a cancel request body, read and checked as the contract says.</summary>
internal sealed class CancelRequestBody
{
    public string? Id { get; private set; }

    public string? OrderId { get; private set; }

    public string? Symbol { get; private set; }

    public long Time { get; private set; }

    public string RespInst { get; private set; } = "ACK";

    private bool _seenTime;

    /// <summary>Why the body failed, and a message for the answer; null when it passed.</summary>
    public VenueCheck? Failure { get; private set; }

    public string FailureMessage { get; private set; } = "";

    /// <summary>Reads the body and runs every body check except the book lookup.</summary>
    /// <param name="body">The whole request body.</param>
    /// <param name="profile">Which endpoint's rules apply.</param>
    /// <param name="nowMs">The venue's clock, for the 30 s window on <c>time</c>.</param>
    public static CancelRequestBody Read(ReadOnlySpan<byte> body, VenueApiProfile profile, long nowMs)
    {
        var result = new CancelRequestBody();
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                result.Fail(VenueCheck.InvalidJson, "The request body is not a JSON object.");
                return result;
            }

            if (!result.TryReadFields(ref reader, profile))
            {
                return result;
            }

            if (reader.Read())
            {
                result.Fail(VenueCheck.InvalidJson, "The request body is not one JSON object.");
                return result;
            }
        }
        catch (JsonException)
        {
            result.Fail(VenueCheck.InvalidJson, "The request body is not valid JSON.");
            return result;
        }

        if (result.HasRequiredFields(profile))
        {
            result.CheckValues(profile, nowMs);
        }

        return result;
    }

    /// <summary>Reads one order of a batch, the reader on its <c>{</c>, and leaves the reader on its <c>}</c>.</summary>
    /// <remarks>
    /// A failure to read the fields (<see cref="VenueCheck.InvalidJson"/>, <see cref="VenueCheck.InvalidFields"/>) spoils the
    /// whole batch; a value check that fails (<see cref="CheckValues"/>) is that order's alone. Throws <see cref="JsonException"/> on broken JSON.
    /// </remarks>
    public static CancelRequestBody ReadBatchEntry(ref Utf8JsonReader reader, VenueApiProfile profile, long nowMs)
    {
        var result = new CancelRequestBody();
        if (result.TryReadFields(ref reader, profile) && result.HasRequiredFields(profile))
        {
            result.CheckValues(profile, nowMs);
        }

        return result;
    }

    /// <summary>True when the failure is about the JSON's shape, not one of its values.</summary>
    public bool FailedToRead => Failure is VenueCheck.InvalidJson or VenueCheck.InvalidFields;

    internal static JsonReaderOptions ReaderOptions => new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 8 };

    // The reader is on the object's '{'; on success it is left on the matching '}'.
    private bool TryReadFields(ref Utf8JsonReader reader, VenueApiProfile profile)
    {
        var seenRespInst = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!reader.Read())
            {
                return Fail(VenueCheck.InvalidJson, "The request body ends early.");
            }

            switch (name)
            {
                case "id":
                    if (Id is not null || reader.TokenType != JsonTokenType.String)
                    {
                        return Fail(VenueCheck.InvalidFields, "Field 'id' must appear once, as a string.");
                    }

                    Id = reader.GetString();
                    break;
                case "orderId":
                    if (OrderId is not null || reader.TokenType != JsonTokenType.String)
                    {
                        return Fail(VenueCheck.InvalidFields, "Field 'orderId' must appear once, as a string.");
                    }

                    OrderId = reader.GetString();
                    break;
                case "symbol":
                    if (Symbol is not null || reader.TokenType != JsonTokenType.String)
                    {
                        return Fail(VenueCheck.InvalidFields, "Field 'symbol' must appear once, as a string.");
                    }

                    Symbol = reader.GetString();
                    break;
                case "time":
                    if (_seenTime || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var time))
                    {
                        return Fail(VenueCheck.InvalidFields, "Field 'time' must appear once, as an integer of milliseconds.");
                    }

                    Time = time;
                    _seenTime = true;
                    break;
                case "respInst" when profile.IsV2:
                    if (seenRespInst || reader.TokenType != JsonTokenType.String)
                    {
                        return Fail(VenueCheck.InvalidFields, "Field 'respInst' must appear once, as a string.");
                    }

                    RespInst = reader.GetString()!;
                    seenRespInst = true;
                    break;
                default:
                    return Fail(VenueCheck.InvalidFields, $"Unexpected field '{name}'.");
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return Fail(VenueCheck.InvalidJson, "The request body is not one JSON object.");
        }

        return true;
    }

    // Checked once the whole body is known to be one JSON object, so broken JSON is reported as such first.
    private bool HasRequiredFields(VenueApiProfile profile)
    {
        if ((Id is null && !profile.IsV2) || OrderId is null || Symbol is null || !_seenTime)
        {
            return Fail(VenueCheck.InvalidFields, profile.IsV2
                ? "Fields 'orderId', 'symbol' and 'time' are required."
                : "Fields 'id', 'orderId', 'symbol' and 'time' are required.");
        }

        return true;
    }

    private void CheckValues(VenueApiProfile profile, long nowMs)
    {
        if (Id is not null && !IsValidRequestId(Id, profile))
        {
            Fail(VenueCheck.InvalidRequestId, profile.IsV2
                ? "Field 'id' must be 9 to 32 letters, digits, '_' or '-'."
                : "Field 'id' must be 32 letters and digits.");
            return;
        }

        if (OrderId!.Length < profile.OrderIdLength.Min || OrderId.Length > profile.OrderIdLength.Max)
        {
            Fail(VenueCheck.MalformedOrderId, $"Invalid order id: {OrderId}");
            return;
        }

        if (Symbol!.Length == 0)
        {
            Fail(VenueCheck.EmptySymbol, "Field 'symbol' must not be empty.");
            return;
        }

        if (Math.Abs(nowMs - Time) > VenueServer.TimeWindowMs)
        {
            Fail(VenueCheck.StaleTime, "Request time is more than 30 seconds from server time.");
            return;
        }

        if (profile.IsV2 && RespInst is not ("ACK" or "ACCEPT" or "DONE"))
        {
            Fail(VenueCheck.InvalidRespInst, "Field 'respInst' must be ACK, ACCEPT or DONE.");
        }
    }

    private static bool IsValidRequestId(string id, VenueApiProfile profile)
    {
        if (id.Length < profile.RequestIdLength.Min || id.Length > profile.RequestIdLength.Max)
        {
            return false;
        }

        // v1 ids are letters and digits only; v2 allows '_' and '-' as well.
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !(profile.IsV2 && c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private bool Fail(VenueCheck check, string message)
    {
        Failure = check;
        FailureMessage = message;
        return false;
    }
}
