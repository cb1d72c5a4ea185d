using Microsoft.AspNetCore.Http;
using Oms.Venue.Handling;
using Oms.Venue.Stats;

namespace Oms.Venue.Streaming;

/// <summary>Serves the private order stream's upgrade: the refuse fault, the REST checks on the upgrade request, then a session.</summary>
/// <remarks>
/// The upgrade is authenticated exactly as a REST request (<see cref="RequestChecks"/>), over the profile's prehash.
/// A refused upgrade cannot answer HTTP 200 as REST does: over HTTP/2 a 2xx to the extended CONNECT would open the
/// tunnel (RFC 8441 section 5). So a bad key, timestamp or signature answers 401, a wrong account group 400, each
/// with the JSON body REST gives for the same failure.
/// </remarks>
internal sealed class OrderStreamEndpoint
{
    private readonly VenueServer _venue;
    private readonly OrderStreamHub _hub;
    private readonly StreamMessages _messages;
    private readonly SignatureVerifier _v1Signatures;
    private readonly SignatureVerifier _v2Signatures;
    private readonly FaultDice _dice;
    private readonly int _pingIntervalMs;
    private readonly int _queueCapacity;

    public OrderStreamEndpoint(VenueServer venue, OrderStreamHub hub, string accountId, int seed, int pingIntervalMs, int queueCapacity)
    {
        _venue = venue;
        _hub = hub;
        _messages = new StreamMessages(accountId);
        _v1Signatures = new SignatureVerifier(venue.Credentials.ApiSecret, StreamProfile.V1.Prehash);
        _v2Signatures = new SignatureVerifier(venue.Credentials.ApiSecret, StreamProfile.V2.Prehash);
        _dice = new FaultDice(seed);
        _pingIntervalMs = pingIntervalMs;
        _queueCapacity = queueCapacity;
    }

    private VenueStats Stats => _venue.Stats;

    public async Task HandleAsync(HttpContext context, StreamProfile profile, string accountGroup)
    {
        if (_venue.FaultsAgeMs < _venue.Faults.StreamRefuseMs)
        {
            Stats.OnStreamUpgradeRefused();
            await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable,
                VenueAnswers.ShortErr(510001, "SERVER_ERROR", "The stream is not accepting sessions now, please retry later.")).ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            Stats.OnStreamUpgradeRejected();
            await AnswerAsync(context, StatusCodes.Status400BadRequest,
                VenueAnswers.ShortErr(100001, "INVALID_HTTP_INPUT", "This path serves WebSocket upgrades only.")).ConfigureAwait(false);
            return;
        }

        // The upgrade's method is GET over HTTP/1.1 and CONNECT over HTTP/2; the WebSocket check above covered it.
        var request = context.Request;
        var signatures = profile == StreamProfile.V2 ? _v2Signatures : _v1Signatures;
        if (RequestChecks.FirstFailure(request, _venue.Credentials, accountGroup, request.Method, signatures, _venue.NowMs()) is { } failed)
        {
            Stats.OnStreamUpgradeRejected();
            var (code, reason) = VenueErrorCatalog.For(failed.Check);
            var status = failed.Check == VenueCheck.AccountGroup ? StatusCodes.Status400BadRequest : StatusCodes.Status401Unauthorized;
            await AnswerAsync(context, status, VenueAnswers.ShortErr(code, reason, failed.Message)).ConfigureAwait(false);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        Stats.OnStreamSession();
        using var session = new StreamSession(socket, context.Response.CompleteAsync, profile, _venue, _messages, _dice, _pingIntervalMs, _queueCapacity);
        _hub.Add(session);
        try
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(_venue.Stopping, context.RequestAborted);
            await session.RunAsync(ended.Token).ConfigureAwait(false);
        }
        finally
        {
            _hub.Remove(session);
        }
    }

    private static async Task AnswerAsync(HttpContext context, int status, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
