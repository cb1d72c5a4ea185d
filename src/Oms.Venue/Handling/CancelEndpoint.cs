using System.Globalization;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Oms.Venue.Book;
using Oms.Venue.Connections;
using Oms.Venue.Stats;

namespace Oms.Venue.Handling;

/// <summary>Serves one cancel stream: connection faults, stream faults, the checks in contract order, the book, the answer.</summary>
internal sealed class CancelEndpoint
{
    private const int SaltStreamFault = 1;
    private const int SaltAnswerFault = 2;
    private const int SaltJitter = 3;
    private const string JsonContentType = "application/json";
    private const string HtmlContentType = "text/html";

    /// <summary>The exchange's message for a cancel of an order that is no longer open (facts sheet, "300006 is ambiguous").</summary>
    private const string AlreadyFinalMessage = "The order is already filled or canceled.";

    private readonly VenueServer _venue;
    private readonly ConnectionTracker _connections;
    private readonly VenueAnswers _answers;
    private readonly SignatureVerifier _v1Signatures;
    private readonly SignatureVerifier _v2Signatures;
    private readonly FaultDice _dice;
    private readonly MatchingRules _matching;

    public CancelEndpoint(VenueServer venue, ConnectionTracker connections, string accountId, int seed, MatchingRules matching)
    {
        _matching = matching;
        _venue = venue;
        _connections = connections;
        _answers = new VenueAnswers(accountId);
        _v1Signatures = new SignatureVerifier(venue.Credentials.ApiSecret, VenueApiProfile.V1.Prehash);
        _v2Signatures = new SignatureVerifier(venue.Credentials.ApiSecret, VenueApiProfile.V2.Prehash);
        _dice = new FaultDice(seed);
    }

    private VenueStats Stats => _venue.Stats;

    public async Task HandleAsync(HttpContext context, VenueApiProfile profile, string accountGroup)
    {
        Stats.OnStream();
        var faults = _venue.Faults;
        var stream = _dice.NextStream();

        if (ApplyConnectionFaults(context, faults))
        {
            return;
        }

        var streamDraw = _dice.Draw(stream, SaltStreamFault);
        if (streamDraw < faults.NeverAnswerShare)
        {
            await HoldForeverAsync(context).ConfigureAwait(false);
            return;
        }

        var delay = Delay(faults, stream);
        if (await TryAnswerStreamFaultAsync(context, faults, streamDraw - faults.NeverAnswerShare, delay).ConfigureAwait(false))
        {
            return;
        }

        Stats.OnCancelRequest();
        var nowMs = _venue.NowMs();
        var verdict = await DecideAsync(context, profile, accountGroup, nowMs).ConfigureAwait(false);
        var (body, contentType) = MangleAnswer(verdict, faults, stream);
        await AnswerAsync(context, StatusCodes.Status200OK, contentType, body, delay, retryAfterSeconds: 0).ConfigureAwait(false);
    }

    private bool ApplyConnectionFaults(HttpContext context, VenueFaults faults)
    {
        if (faults.ResetEveryNStreams == 0 && faults.GoAwayEveryNStreams == 0)
        {
            return false;
        }

        var connection = _connections.Find(context.Connection.Id);
        if (connection is null)
        {
            return false;
        }

        var number = connection.NextStreamNumber();
        if (faults.ResetEveryNStreams > 0 && number % faults.ResetEveryNStreams == 0)
        {
            Stats.On(VenueFault.ConnectionReset);
            connection.Reset();
            return true;
        }

        if (faults.GoAwayEveryNStreams > 0 && number % faults.GoAwayEveryNStreams == 0)
        {
            // Kestrel's graceful close sends GOAWAY naming the highest stream it has opened, lets the streams up to
            // it finish (this one included), and closes the connection once they have.
            var lifetime = context.Features.Get<IConnectionLifetimeNotificationFeature>();
            if (lifetime is not null)
            {
                Stats.On(VenueFault.GoAway);
                lifetime.RequestClose();
            }
        }

        return false;
    }

    private async Task HoldForeverAsync(HttpContext context)
    {
        Stats.On(VenueFault.NeverAnswered);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _venue.Stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client reset the stream or the venue is stopping: end the stream without an answer.
            context.Abort();
        }
    }

    private async Task<bool> TryAnswerStreamFaultAsync(HttpContext context, VenueFaults faults, double draw, TimeSpan delay)
    {
        if (draw < faults.ServerErrorShare)
        {
            Stats.On(VenueFault.ServerError);
            await AnswerAsync(context, StatusCodes.Status500InternalServerError, JsonContentType, VenueAnswers.ServerErrorJson, delay, 0).ConfigureAwait(false);
            return true;
        }

        draw -= faults.ServerErrorShare;
        if (draw < faults.TooManyRequestsShare)
        {
            Stats.On(VenueFault.TooManyRequests);
            await AnswerAsync(context, StatusCodes.Status429TooManyRequests, HtmlContentType, VenueAnswers.TooManyRequestsHtml, delay, faults.RetryAfterSeconds).ConfigureAwait(false);
            return true;
        }

        draw -= faults.TooManyRequestsShare;
        if (draw < faults.ForbiddenShare)
        {
            Stats.On(VenueFault.Forbidden);
            await AnswerAsync(context, StatusCodes.Status403Forbidden, HtmlContentType, VenueAnswers.ForbiddenHtml, delay, faults.RetryAfterSeconds).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private async Task<Verdict> DecideAsync(HttpContext context, VenueApiProfile profile, string accountGroup, long nowMs)
    {
        var request = context.Request;
        var signatures = profile.IsV2 ? _v2Signatures : _v1Signatures;
        if (RequestChecks.FirstFailure(request, _venue.Credentials, accountGroup, HttpMethods.Delete, signatures, nowMs) is { } failed)
        {
            return Refuse(failed.Check, failed.Message);
        }

        var bytes = await RequestBodyReader.ReadAsync(request, _venue.MaxBodyBytes).ConfigureAwait(false);
        if (bytes is null)
        {
            return Refuse(VenueCheck.BodyTooLarge, $"The request body is longer than {_venue.MaxBodyBytes} bytes.");
        }

        var body = CancelRequestBody.Read(bytes, profile, nowMs);
        if (body.Id is not null)
        {
            Stats.OnRequestId(body.Id);
        }

        if (body.Failure is { } failure)
        {
            return Refuse(failure, body.FailureMessage, body);
        }

        return ApplyToBook(profile, body, nowMs);
    }

    private Verdict ApplyToBook(VenueApiProfile profile, CancelRequestBody body, long nowMs)
    {
        switch (_matching.Cancel(body.OrderId!, body.Symbol!, nowMs))
        {
            case CancelResult.Canceled:
                Stats.OnAcked();
                var ack = profile.IsV2
                    ? _answers.V2Ack(body.Id, body.OrderId!, body.Symbol!, body.RespInst, nowMs)
                    : _answers.V1Ack(body.Id!, body.OrderId!, body.Symbol!, nowMs);
                return new Verdict(ack, body.Id);
            case CancelResult.AlreadyFilled:
                return Refuse(VenueCheck.AlreadyFilled, AlreadyFinalMessage, body);
            case CancelResult.AlreadyCanceled:
                return Refuse(VenueCheck.AlreadyCanceled, $"Invalid Client Order Id: {body.Id}", body);
            default:
                return Refuse(VenueCheck.UnknownOrder, $"Invalid Client Order Id: {body.Id}", body);
        }
    }

    private Verdict Refuse(VenueCheck check, string message, CancelRequestBody? body = null)
    {
        Stats.On(check);
        var (code, reason) = VenueErrorCatalog.For(check);
        if (body is not null && VenueErrorCatalog.IsOrderScoped(check))
        {
            return new Verdict(_answers.OrderErr(code, reason, message, body.Id, body.Symbol), body.Id);
        }

        // The short shape echoes no id, so there is none a wrong-id fault could alter.
        return new Verdict(VenueAnswers.ShortErr(code, reason, message), EchoedId: null);
    }

    /// <summary>The answer-level faults: at most one per stream, drawn from consecutive ranges of one draw.</summary>
    /// <remarks>A fault is counted only when it altered the body, so the venue's counts match what clients received.</remarks>
    private (byte[] Body, string ContentType) MangleAnswer(Verdict verdict, VenueFaults faults, long stream)
    {
        if (faults.WrongIdShare == 0 && faults.TruncatedJsonShare == 0 && faults.NonJsonBodyShare == 0 && faults.EmptyBodyShare == 0)
        {
            return (verdict.Json, JsonContentType);
        }

        var draw = _dice.Draw(stream, SaltAnswerFault);
        if (draw < faults.WrongIdShare)
        {
            if (verdict.EchoedId is { Length: > 0 } echoedId && TryReplaceEchoedId(verdict.Json, echoedId, out var altered))
            {
                Stats.On(VenueFault.WrongId);
                return (altered, JsonContentType);
            }

            return (verdict.Json, JsonContentType);
        }

        draw -= faults.WrongIdShare;
        if (draw < faults.TruncatedJsonShare)
        {
            Stats.On(VenueFault.TruncatedJson);
            return (verdict.Json.AsSpan(0, verdict.Json.Length / 2).ToArray(), JsonContentType);
        }

        draw -= faults.TruncatedJsonShare;
        if (draw < faults.NonJsonBodyShare)
        {
            Stats.On(VenueFault.NonJsonBody);
            return (VenueAnswers.NonJsonHtml, HtmlContentType);
        }

        draw -= faults.NonJsonBodyShare;
        if (draw < faults.EmptyBodyShare)
        {
            Stats.On(VenueFault.EmptyBody);
            return ([], JsonContentType);
        }

        return (verdict.Json, JsonContentType);
    }

    private static bool TryReplaceEchoedId(byte[] json, string echoedId, out byte[] altered)
    {
        // Same length, one character changed: a plausible id that is not the one sent.
        var wrong = string.Create(echoedId.Length, echoedId, static (span, id) =>
        {
            id.AsSpan().CopyTo(span);
            span[^1] = span[^1] == 'Z' ? 'Y' : 'Z';
        });
        var quoted = "\"" + echoedId + "\"";
        var text = System.Text.Encoding.UTF8.GetString(json);
        if (!text.Contains(quoted, StringComparison.Ordinal))
        {
            altered = json;
            return false;
        }

        altered = System.Text.Encoding.UTF8.GetBytes(text.Replace(quoted, "\"" + wrong + "\"", StringComparison.Ordinal));
        return true;
    }

    private TimeSpan Delay(VenueFaults faults, long stream)
    {
        if (faults.LatencyMs == 0 && faults.JitterMs == 0)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromMilliseconds(faults.LatencyMs + (faults.JitterMs * _dice.Draw(stream, SaltJitter)));
    }

    private async Task AnswerAsync(HttpContext context, int status, string contentType, byte[] body, TimeSpan delay, int retryAfterSeconds)
    {
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, _venue.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
                return;
            }
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (retryAfterSeconds > 0)
        {
            response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (_venue.Faults.ClockOffsetMs != 0)
        {
            // A venue whose clock is off says so in its date header too, as a real one would: clients read the skew there.
            response.Headers.Date = DateTimeOffset.FromUnixTimeMilliseconds(_venue.NowMs()).ToString("R", CultureInfo.InvariantCulture);
        }

        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private readonly record struct Verdict(byte[] Json, string? EchoedId);
}
