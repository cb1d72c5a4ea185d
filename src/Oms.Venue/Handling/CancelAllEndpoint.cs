using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Oms.Venue.Book;
using Oms.Venue.Stats;

namespace Oms.Venue.Handling;

/// <summary>Serves the cancel-all (facts sheet, "Cancel-all"): every open order of the account, or of one symbol.</summary>
/// <remarks>
/// Authenticated exactly as the single cancel, over the prehash <c>order/all</c> (v2 <c>v2/futures/order/all</c>). The
/// body is optional: empty or <c>{}</c> for the whole account, <c>{"symbol":"..."}</c> for one symbol (a <c>time</c>
/// field, if sent, must be within the 30 s window). Every open order in scope takes the single cancel's path through
/// <see cref="MatchingRules"/>, except those <see cref="VenueFaults.CancelAllSurvivorShare"/> spares: best effort, as
/// the exchange says its cancel-all is. Orders with a cancel already pending are left to it.
/// </remarks>
internal sealed class CancelAllEndpoint
{
    /// <summary><c>DELETE /{group}/api/pro/v1/futures/order/all</c>, prehash <c>order/all</c>.</summary>
    public const string V1Path = "/api/pro/v1/futures/order/all";

    /// <summary><c>DELETE /{group}/api/pro/v2/futures/order/all</c>, prehash <c>v2/futures/order/all</c>.</summary>
    public const string V2Path = "/api/pro/v2/futures/order/all";

    private const int SaltSurvivor = 6;

    private readonly VenueServer _venue;
    private readonly VenueAnswers _answers;
    private readonly SignatureVerifier _v1Signatures;
    private readonly SignatureVerifier _v2Signatures;
    private readonly MatchingRules _matching;
    private readonly FaultDice _dice;

    public CancelAllEndpoint(VenueServer venue, string accountId, int seed, MatchingRules matching)
    {
        _venue = venue;
        _answers = new VenueAnswers(accountId);
        _v1Signatures = new SignatureVerifier(venue.Credentials.ApiSecret, "order/all");
        _v2Signatures = new SignatureVerifier(venue.Credentials.ApiSecret, "v2/futures/order/all");
        _matching = matching;
        _dice = new FaultDice(seed);
    }

    private VenueStats Stats => _venue.Stats;

    public async Task HandleAsync(HttpContext context, bool v2, string accountGroup)
    {
        Stats.OnCancelAllRequest();
        var answer = await DecideAsync(context.Request, v2, accountGroup, _venue.NowMs()).ConfigureAwait(false);
        await JsonAnswerWriter.WriteAsync(context, answer).ConfigureAwait(false);
    }

    private async Task<byte[]> DecideAsync(HttpRequest request, bool v2, string accountGroup, long nowMs)
    {
        if (RequestChecks.FirstFailure(request, _venue.Credentials, accountGroup, HttpMethods.Delete, v2 ? _v2Signatures : _v1Signatures, nowMs) is { } failed)
        {
            return Reject(failed.Check, failed.Message);
        }

        var bytes = await RequestBodyReader.ReadAsync(request, _venue.MaxBodyBytes).ConfigureAwait(false);
        if (bytes is null)
        {
            return Reject(VenueCheck.BodyTooLarge, $"The request body is longer than {_venue.MaxBodyBytes} bytes.");
        }

        if (ReadScope(bytes, nowMs, out var symbol) is { } refused)
        {
            return Reject(refused.Check, refused.Message);
        }

        CancelOpenOrders(symbol, nowMs);
        Stats.OnCancelAllAcked();
        return _answers.CancelAllAck(nowMs);
    }

    private void CancelOpenOrders(string? symbol, long nowMs)
    {
        var faults = _venue.Faults;
        var nowTicks = Environment.TickCount64;
        var accepted = new List<string>();
        foreach (var (orderId, orderSymbol, touchedAtTicks) in _venue.Book.OpenOrdersOf(symbol))
        {
            if (Survives(orderId, touchedAtTicks, faults, nowTicks))
            {
                Stats.OnCancelAllSurvivor();
                continue;
            }

            _matching.FillIfDueBeforeCancel(orderId, orderSymbol, nowMs);
            if (_venue.Book.TryBeginCancel(orderId, orderSymbol) == CancelResult.Canceled)
            {
                accepted.Add(orderId);
            }
        }

        _matching.Settle(accepted, CancelPath.CancelAll, nowMs);
    }

    private bool Survives(string orderId, long touchedAtTicks, VenueFaults faults, long nowTicks) =>
        faults.CancelAllSurvivorShare > 0
        && nowTicks - touchedAtTicks <= faults.CancelAllSurvivorWindowMs
        && _dice.Draw(FaultDice.KeyOf(orderId), SaltSurvivor) < faults.CancelAllSurvivorShare;

    /// <summary>The symbol the body names, null for the whole account; or why the body is refused.</summary>
    private static (VenueCheck Check, string Message)? ReadScope(ReadOnlySpan<byte> body, long nowMs, out string? symbol)
    {
        symbol = null;
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        long? time = null;
        try
        {
            var reader = new Utf8JsonReader(body, CancelRequestBody.ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (VenueCheck.InvalidJson, "The request body is not a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "symbol" when symbol is null && reader.TokenType == JsonTokenType.String:
                        symbol = reader.GetString()!;
                        break;
                    case "time" when time is null && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value):
                        time = value;
                        break;
                    default:
                        return (VenueCheck.InvalidFields, $"Field '{name}' is not allowed here, or not as given: a cancel-all takes an optional 'symbol' string and 'time' integer.");
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return (VenueCheck.InvalidJson, "The request body is not one JSON object.");
            }
        }
        catch (JsonException)
        {
            return (VenueCheck.InvalidJson, "The request body is not valid JSON.");
        }

        if (symbol is { Length: 0 })
        {
            return (VenueCheck.EmptySymbol, "Field 'symbol' must not be empty; leave it out to cancel every symbol.");
        }

        if (time is { } t && Math.Abs(nowMs - t) > VenueServer.TimeWindowMs)
        {
            return (VenueCheck.StaleTime, "Request time is more than 30 seconds from server time.");
        }

        return null;
    }

    private byte[] Reject(VenueCheck check, string message)
    {
        Stats.OnCancelAllRejected();
        var (code, reason) = VenueErrorCatalog.For(check);
        return VenueAnswers.ShortErr(code, reason, message);
    }
}
