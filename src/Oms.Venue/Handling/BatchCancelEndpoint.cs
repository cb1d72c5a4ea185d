using Microsoft.AspNetCore.Http;
using Oms.Venue.Book;
using Oms.Venue.Stats;

namespace Oms.Venue.Handling;

/// <summary>Serves the batch cancel (facts sheet, "Batch cancel"): up to ten orders, all cancelled or none.</summary>
/// <remarks>
/// Authenticated exactly as the single cancel (<see cref="RequestChecks"/>), over the prehash <c>order/batch</c> (v2
/// <c>v2/futures/order/batch</c>). Each order meets a single cancel's checks; if any fails, the batch is refused with
/// 300013 naming each failing order and nothing in it is cancelled. Accepted orders take the single cancel's path through
/// <see cref="MatchingRules"/> (fills, delay, stream messages). The single cancel's stream and answer faults do not
/// apply here; <see cref="VenueFaults.BatchWrongInfoShare"/> does. Refusals are counted apart from
/// <see cref="VenueStats.Count(VenueCheck)"/>, which stays about single cancels.
/// </remarks>
internal sealed class BatchCancelEndpoint
{
    /// <summary><c>DELETE /{group}/api/pro/v1/futures/order/batch</c>, prehash <c>order/batch</c>.</summary>
    public const string V1Path = "/api/pro/v1/futures/order/batch";

    /// <summary><c>DELETE /{group}/api/pro/v2/futures/order/batch</c>, prehash <c>v2/futures/order/batch</c>.</summary>
    public const string V2Path = "/api/pro/v2/futures/order/batch";

    private const int SaltWrongInfo = 5;

    /// <summary>What the exchange's batch refusal says of an order that is unknown, filled or canceled (facts sheet, "Batch cancel").</summary>
    private const string AlreadyFinalMessage = "The order is already filled or canceled.";

    private readonly VenueServer _venue;
    private readonly VenueAnswers _answers;
    private readonly SignatureVerifier _v1Signatures;
    private readonly SignatureVerifier _v2Signatures;
    private readonly MatchingRules _matching;
    private readonly FaultDice _dice;
    private readonly OrderIdFactory _strangerIds = new();

    public BatchCancelEndpoint(VenueServer venue, string accountId, int seed, MatchingRules matching)
    {
        _venue = venue;
        _answers = new VenueAnswers(accountId);
        _v1Signatures = new SignatureVerifier(venue.Credentials.ApiSecret, "order/batch");
        _v2Signatures = new SignatureVerifier(venue.Credentials.ApiSecret, "v2/futures/order/batch");
        _matching = matching;
        _dice = new FaultDice(seed);
    }

    private VenueStats Stats => _venue.Stats;

    public async Task HandleAsync(HttpContext context, VenueApiProfile profile, string accountGroup)
    {
        Stats.OnBatchRequest();
        var answer = await DecideAsync(context.Request, profile, accountGroup, _venue.NowMs()).ConfigureAwait(false);
        await JsonAnswerWriter.WriteAsync(context, answer).ConfigureAwait(false);
    }

    private async Task<byte[]> DecideAsync(HttpRequest request, VenueApiProfile profile, string accountGroup, long nowMs)
    {
        var signatures = profile.IsV2 ? _v2Signatures : _v1Signatures;
        if (RequestChecks.FirstFailure(request, _venue.Credentials, accountGroup, HttpMethods.Delete, signatures, nowMs) is { } failed)
        {
            return Reject(failed.Check, failed.Message);
        }

        // Room for ten orders: the single cancel's limit is per order.
        var maxBytes = _venue.MaxBodyBytes * (BatchCancelBody.MaxOrders + 1);
        var bytes = await RequestBodyReader.ReadAsync(request, maxBytes).ConfigureAwait(false);
        if (bytes is null)
        {
            return Reject(VenueCheck.BodyTooLarge, $"The request body is longer than {maxBytes} bytes.");
        }

        var body = BatchCancelBody.Read(bytes, profile, nowMs);
        if (body.Failure is { } failure)
        {
            return Reject(failure, body.FailureMessage);
        }

        return ApplyToBook(profile, body.Orders, nowMs);
    }

    private byte[] ApplyToBook(VenueApiProfile profile, IReadOnlyList<CancelRequestBody> orders, long nowMs)
    {
        // Every order is accepted or refused first; a refusal anywhere takes back those accepted, so the book sees
        // all of the batch or none of it. An order named twice meets its own pending cancel the second time: 300006.
        List<BatchOrderFailure>? failures = null;
        var accepted = new List<string>(orders.Count);
        foreach (var order in orders)
        {
            if (order.Id is not null)
            {
                Stats.OnRequestId(order.Id);
            }

            if (order.Failure is { } check)
            {
                var (code, reason) = VenueErrorCatalog.For(check);
                (failures ??= []).Add(new BatchOrderFailure(code, reason, order.FailureMessage, order.Id, order.OrderId));
                continue;
            }

            _matching.FillIfDueBeforeCancel(order.OrderId!, order.Symbol!, nowMs);
            if (_venue.Book.TryBeginCancel(order.OrderId!, order.Symbol!) == CancelResult.Canceled)
            {
                accepted.Add(order.OrderId!);
            }
            else
            {
                (failures ??= []).Add(new BatchOrderFailure(300006, "INVALID_ORDER_ID", AlreadyFinalMessage, order.Id, order.OrderId));
            }
        }

        if (failures is not null)
        {
            foreach (var orderId in accepted)
            {
                _venue.Book.TryAbandonCancel(orderId);
            }

            Stats.OnBatchRefused();
            AddStrangerIfDue(failures, orders);
            return _answers.BatchErr(failures);
        }

        _matching.Settle(accepted, CancelPath.Batch, nowMs);
        Stats.OnBatchAcked(orders.Count);
        return profile.IsV2 ? _answers.V2BatchAck(orders, nowMs) : _answers.BatchAck(orders, nowMs);
    }

    private void AddStrangerIfDue(List<BatchOrderFailure> failures, IReadOnlyList<CancelRequestBody> orders)
    {
        var share = _venue.Faults.BatchWrongInfoShare;
        if (share == 0 || _dice.Draw(_dice.NextStream(), SaltWrongInfo) >= share)
        {
            return;
        }

        string stranger;
        do
        {
            stranger = _strangerIds.Next();
        }
        while (orders.Any(order => order.OrderId == stranger));

        Stats.On(VenueFault.BatchWrongInfo);
        failures.Add(new BatchOrderFailure(300006, "INVALID_ORDER_ID", AlreadyFinalMessage, Id: "", stranger));
    }

    private byte[] Reject(VenueCheck check, string message)
    {
        Stats.OnBatchRejected();
        var (code, reason) = VenueErrorCatalog.For(check);
        return VenueAnswers.ShortErr(code, reason, message);
    }
}
