using System.Text.RegularExpressions;

namespace Oms.Engine.Tests;

/// <summary>What the engine sends, and what each venue answer becomes: one outcome per intent, on a fake transport.</summary>
[Collection(FakeEngine.Collection)]
public sealed partial class CancelEngineOutcomeTests
{
    [Theory]
    [InlineData(WaitStrategyKind.Yielding)]
    [InlineData(WaitStrategyKind.Blocking)]
    public async Task TryCancel_VenueAcks_ListenerHearsAckedAndStateIsAcked(WaitStrategyKind wait)
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { WaitStrategy = wait });
        var orderId = FakeEngine.OrderId(1);

        fake.Cancel(orderId, tag: 11);
        var request = fake.Sender.WaitForRequest(0);
        fake.Sender.Ack(request);
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(11);

        Assert.Equal(("acked", orderId), (outcome.Kind, outcome.OrderId));
        Assert.Equal(CancelState.Acked, fake.Engine.GetCancelState(orderId));
        Assert.Equal((1L, 1L, 1L, 0L, 0L), (counters.Intents, counters.Acked, counters.Requests, counters.Retries, counters.IdMismatches));
        FakeEngine.AssertReconciled(counters);
        Assert.Equal(0, fake.Listener.WrongThreadCalls);
    }

    [Fact]
    public async Task TryCancel_Request_CarriesContractBodyAndSignedHeaders()
    {
        await using var fake = FakeEngine.Start();
        var orderId = FakeEngine.OrderId(2);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        fake.Cancel(orderId, tag: 1, symbol: "ETH-PERP");
        var request = fake.Sender.WaitForRequest(0);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(("DELETE", "/7/api/pro/v1/futures/order"), (request.Method, request.Path));
        Assert.Equal(["id", "orderId", "symbol", "time"], request.FieldNames);
        Assert.Matches(RequestIdPattern(), request.Id);
        Assert.Equal((orderId, "ETH-PERP"), (request.OrderId, request.Symbol));
        Assert.Matches(TimestampPattern(), request.Timestamp);
        Assert.Equal(long.Parse(request.Timestamp, System.Globalization.CultureInfo.InvariantCulture), request.Time);
        Assert.InRange(request.Time!.Value, before, after);
        Assert.Equal(ExpectedSignature(request.Timestamp), request.Signature);
    }

    [Fact]
    public async Task TryCancel_ManyOrders_EveryRequestIdDistinctAndEverySignatureMatchesItsTimestamp()
    {
        await using var fake = FakeEngine.Start();
        using var venue = new AutoResponder(fake.Sender);

        fake.CancelOrders(200);

        await fake.WaitForOutcomesAsync(200);
        var requests = fake.Sender.Requests;

        Assert.Equal(200, requests.Count);
        Assert.Equal(200, requests.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(requests, r => Assert.Equal(ExpectedSignature(r.Timestamp), r.Signature));
        Assert.All(requests, r => Assert.Equal(long.Parse(r.Timestamp, System.Globalization.CultureInfo.InvariantCulture), r.Time));
        Assert.Equal(200, fake.Listener.CountOf("acked"));
    }

    [Fact]
    public async Task TryCancel_VenueAnswersContractErr300006_RejectedWithCodeReasonAndMessage()
    {
        await using var fake = FakeEngine.Start();
        var orderId = FakeEngine.OrderId(3);

        fake.Cancel(orderId, tag: 5);
        var request = fake.Sender.WaitForRequest(0);
        fake.Sender.Respond(request, 200, FakeAnswers.OrderErr(request, 300006, "INVALID_ORDER_ID", "Invalid Client Order Id: " + request.Id));
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(5);

        Assert.Equal(("rejected", 300006L, VenueReason.InvalidOrderId), (outcome.Kind, outcome.Code, outcome.Reason));
        Assert.Equal("Invalid Client Order Id: " + request.Id, outcome.Text);
        Assert.Equal(CancelState.Rejected, fake.Engine.GetCancelState(orderId));
        Assert.Equal(1, fake.Engine.GetRejectedCount(VenueReason.InvalidOrderId));
        Assert.Equal((1L, 0L, 1L), (counters.Rejected, counters.IdMismatches, counters.Requests));
        FakeEngine.AssertReconciled(counters);
    }

    [Theory]
    [InlineData(100001, "INVALID_HTTP_INPUT", VenueReason.InvalidHttpInput)]
    [InlineData(100004, "INVALID_REQUEST_DATA", VenueReason.InvalidRequestData)]
    [InlineData(100008, "SYMBOL_ERROR", VenueReason.SymbolError)]
    [InlineData(150001, "INVALID_JSON_FORMAT", VenueReason.InvalidJsonFormat)]
    [InlineData(987654, "SOMETHING_NEW", VenueReason.Other)]
    public async Task TryCancel_VenueAnswersErrWithoutEchoedId_RejectedByStreamWithCodeAndReason(long code, string reason, VenueReason expected)
    {
        await using var fake = FakeEngine.Start();

        fake.Cancel(FakeEngine.OrderId(4), tag: 6);
        var request = fake.Sender.WaitForRequest(0);
        fake.Sender.Respond(request, 200, FakeAnswers.ShortErr(code, reason, "refused"));
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(6);

        Assert.Equal(("rejected", code, expected, "refused"), (outcome.Kind, outcome.Code, outcome.Reason, outcome.Text));
        Assert.Equal((0L, 1L, 0L), (counters.IdMismatches, counters.Requests, counters.Retries));
        FakeEngine.AssertReconciled(counters);
    }

    [Theory]
    [InlineData("API signature mismatch", "200001 AUTHENTICATION_FAILED: API signature mismatch")]
    [InlineData("", "200001 AUTHENTICATION_FAILED")]
    public async Task TryCancel_VenueAnswers200001_FailedDetailIsTheVenuesCodeReasonAndMessage(string message, string expected)
    {
        await using var fake = FakeEngine.Start();

        fake.Sender.Respond(fake.CancelFirst(), 200, FakeAnswers.ShortErr(200001, "AUTHENTICATION_FAILED", message));
        var outcome = await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);

        Assert.Equal(("failed", CancelFailureReason.AuthenticationFailed), (outcome.Kind, outcome.Failure));
        Assert.Equal(expected, outcome.Text);
    }

    [Fact]
    public async Task TryCancel_VenueAnswers200001WithALongMessage_DetailIsCutAt96Bytes()
    {
        await using var fake = FakeEngine.Start();
        var message = new string('m', 200);

        fake.Sender.Respond(fake.CancelFirst(), 200, FakeAnswers.ShortErr(200001, "AUTHENTICATION_FAILED", message));
        var outcome = await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);

        Assert.Equal(("200001 AUTHENTICATION_FAILED: " + message)[..96], outcome.Text);
    }

    [Fact]
    public async Task TryCancel_VenueAnswers200015_FailedPermissionDeniedAndEngineKeepsSending()
    {
        await using var fake = FakeEngine.Start();

        fake.Sender.Respond(fake.CancelFirst(), 200, FakeAnswers.ShortErr(200015, "PERMISSION_DENIED", "no trade permission"));
        var outcome = await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);
        fake.Cancel(FakeEngine.OrderId(2), tag: 2);
        fake.Sender.Ack(fake.Sender.WaitForRequest(1));
        var second = await fake.Listener.WaitForTagAsync(2, FakeEngine.Bound);

        Assert.Equal(("failed", CancelFailureReason.PermissionDenied), (outcome.Kind, outcome.Failure));
        Assert.Equal("200015 PERMISSION_DENIED: no trade permission", outcome.Text);
        Assert.Equal("acked", second.Kind);
        Assert.Equal(1, fake.Engine.GetFailedCount(CancelFailureReason.PermissionDenied));
        FakeEngine.AssertReconciled(await fake.WaitIdleAsync());
    }

    [Fact]
    public async Task TryCancel_VenueAnswers200001_FailsAuthenticationFailsWaitingAndStopsSending()
    {
        await using var fake = FakeEngine.Start();
        fake.Cancel(FakeEngine.OrderId(1), tag: 1);
        fake.Cancel(FakeEngine.OrderId(2), tag: 2);
        var first = fake.Sender.WaitForRequest(0);
        var second = fake.Sender.WaitForRequest(1);
        fake.Sender.RefuseWith = Http2SendResult.NoCapacity;
        for (var tag = 3; tag <= 5; tag++)
        {
            fake.Cancel(FakeEngine.OrderId(tag), tag);
        }

        await WaitUntilAsync(() => fake.Sender.Refused >= 1, "the later cancels to meet a full transport");

        // The three later cancels wait (or are still in the ring): the 200001 must fail them unsent.
        fake.Sender.Respond(first, 200, FakeAnswers.ShortErr(200001, "AUTHENTICATION_FAILED", "API signature mismatch"));
        await fake.WaitForOutcomesAsync(4);
        fake.Sender.RefuseWith = Http2SendResult.Sent;
        var refusedAfter = fake.Engine.TryCancel(FakeEngine.OrderId(9), "BTC-PERP", 9, out var refusal);
        fake.Sender.Respond(second, 200, FakeAnswers.ShortErr(200001, "AUTHENTICATION_FAILED", "API signature mismatch"));
        var counters = await fake.WaitForOutcomesAndIdleAsync(5);

        Assert.All(fake.Listener.Outcomes.Values, o => Assert.Equal(("failed", CancelFailureReason.AuthenticationFailed), (o.Kind, o.Failure)));
        Assert.Equal(5, fake.Listener.Count);
        Assert.False(refusedAfter);
        Assert.Equal(CancelRefusal.AuthenticationFailed, refusal);
        Assert.True(counters.AuthenticationFailed);
        Assert.Equal((2L, 5L, 1L), (counters.Requests, counters.Failed, counters.Refusals));
        Assert.Equal(2, fake.Sender.RequestCount);
        Assert.Equal(CancelState.Failed, fake.Engine.GetCancelState(FakeEngine.OrderId(4)));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_BurstBeforeAnyAnswer_AtMostFourOnTheWireUntilAnAnswerProvesTheKeyThenTheRestGo()
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { InFlightUntilKeyProven = 4 });
        fake.CancelOrders(20);

        var firstFour = Enumerable.Range(0, 4).Select(fake.Sender.WaitForRequest).ToArray();
        await Task.Delay(100);
        var beforeProof = fake.Sender.RequestCount;

        // An order error got past the key and signature checks: the key is good, everything may go now.
        fake.Sender.Respond(firstFour[0], 200, FakeAnswers.OrderErr(firstFour[0], 300006, "INVALID_ORDER_ID", "unknown order"));
        fake.Sender.AckAll(firstFour.Skip(1));

        var rest = Enumerable.Range(4, 16).Select(fake.Sender.WaitForRequest).ToArray();
        fake.Sender.AckAll(rest);

        var counters = await fake.WaitForOutcomesAndIdleAsync(20);

        Assert.Equal(4, beforeProof);
        Assert.Equal((19L, 1L, 20L), (counters.Acked, counters.Rejected, counters.Requests));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_BurstAndTheKeyIsRefused_OnlyTheFourUnprovenRequestsEverReachTheVenue()
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { InFlightUntilKeyProven = 4 });
        fake.CancelOrders(50);

        var sent = Enumerable.Range(0, 4).Select(fake.Sender.WaitForRequest).ToArray();
        foreach (var request in sent)
        {
            fake.Sender.Respond(request, 200, FakeAnswers.ShortErr(200001, "AUTHENTICATION_FAILED", "API signature mismatch"));
        }

        var counters = await fake.WaitForOutcomesAndIdleAsync(50);

        Assert.Equal(4, fake.Sender.RequestCount);
        Assert.Equal(50, fake.Engine.GetFailedCount(CancelFailureReason.AuthenticationFailed));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_VenueAnswers100011WithADateFortySecondsAhead_ReportsASkewOfFortySeconds()
    {
        await using var fake = FakeEngine.StartWithFirstCancel(out var first);
        var before = fake.Engine.GetCounters().LastClockSkewSeconds;

        var venueNow = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 40;
        fake.Sender.Handler.OnResponse(first.Token, new Http2ResponseHead(200, Http2ResponseHead.NoRetryAfter, venueNow), FakeAnswers.ShortErr(100011, "INVALID_TIMESTAMP", "timestamp out of window"));
        var second = fake.Sender.WaitForRequest(1);
        fake.Sender.Handler.OnResponse(second.Token, new Http2ResponseHead(200, Http2ResponseHead.NoRetryAfter, venueNow), FakeAnswers.ShortErr(100011, "INVALID_TIMESTAMP", "timestamp out of window"));
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal(0, before);
        Assert.Equal(("rejected", 100011L), (outcome.Kind, outcome.Code));
        Assert.Equal(2, counters.ClockSkewEvents);
        Assert.InRange(counters.LastClockSkewSeconds, 38, 41);
    }

    [Fact]
    public async Task TryCancel_VenueAnswers100011Once_ResignedAndSentAgainWithNewIdAndFreshTimestamp()
    {
        await using var fake = FakeEngine.StartWithFirstCancel(out var first);

        // The clock must move on so that a fresh timestamp is distinguishable from a reused one.
        Thread.Sleep(5);
        fake.Sender.Respond(first, 200, FakeAnswers.ShortErr(100011, "INVALID_TIMESTAMP", "timestamp out of window"));
        var second = fake.Sender.WaitForRequest(1);
        fake.Sender.Ack(second);
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal("acked", outcome.Kind);
        Assert.NotEqual(first.Id, second.Id);
        Assert.True(second.Time > first.Time, $"{second.Time} is not later than {first.Time}");
        Assert.Equal(long.Parse(second.Timestamp, System.Globalization.CultureInfo.InvariantCulture), second.Time);
        Assert.Equal(ExpectedSignature(second.Timestamp), second.Signature);
        Assert.Equal((1L, 2L), (counters.ClockSkewEvents, counters.Requests));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_VenueAnswers100011Twice_RejectedAfterOneResign()
    {
        await using var fake = FakeEngine.Start();

        fake.Sender.Respond(fake.CancelFirst(), 200, FakeAnswers.ShortErr(100011, "INVALID_TIMESTAMP", "stale"));
        fake.Sender.Respond(fake.Sender.WaitForRequest(1), 200, FakeAnswers.ShortErr(100011, "INVALID_TIMESTAMP", "stale"));
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal(("rejected", 100011L, VenueReason.InvalidTimestamp), (outcome.Kind, outcome.Code, outcome.Reason));
        Assert.Equal((2L, 2L), (counters.ClockSkewEvents, counters.Requests));
        Assert.Equal(2, fake.Sender.RequestCount);
        Assert.Equal(CancelState.Rejected, fake.Engine.GetCancelState(FakeEngine.OrderId(1)));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_AfterAResign_AdmissionStillBoundsUnsentIntentsByRingSize()
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RingSize = 4 });
        fake.Cancel(FakeEngine.OrderId(100), tag: 100);
        fake.Sender.Respond(fake.Sender.WaitForRequest(0), 200, FakeAnswers.ShortErr(100011, "INVALID_TIMESTAMP", "stale"));
        fake.Sender.Ack(fake.Sender.WaitForRequest(1));
        await fake.Listener.WaitForTagAsync(100, FakeEngine.Bound);
        fake.Sender.RefuseWith = Http2SendResult.NoCapacity;

        var accepted = 0;
        for (var i = 0; i < 6; i++)
        {
            if (fake.Engine.TryCancel(FakeEngine.OrderId(i), "BTC-PERP", i, out _))
            {
                accepted++;
            }
        }

        Assert.Equal(4, accepted);
    }

    [Fact]
    public async Task StopAsync_ResignWaitingForTransport_FailedStoppedAndStateFailed()
    {
        var fake = FakeEngine.Start();
        await using (fake)
        {
            var orderId = FakeEngine.OrderId(1);
            fake.Cancel(orderId, tag: 1);
            var first = fake.Sender.WaitForRequest(0);
            fake.Sender.RefuseWith = Http2SendResult.NoCapacity;
            fake.Sender.Respond(first, 200, FakeAnswers.ShortErr(100011, "INVALID_TIMESTAMP", "stale"));
            await WaitUntilAsync(() => fake.Sender.Refused >= 1, "the re-signed request to meet a full transport");

            await fake.Engine.StopAsync(TimeSpan.FromMilliseconds(50)).WaitAsync(FakeEngine.Bound);
            var outcome = await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);

            Assert.Equal(("failed", CancelFailureReason.Stopped), (outcome.Kind, outcome.Failure));
            Assert.Equal(CancelState.Failed, fake.Engine.GetCancelState(orderId));
            FakeEngine.AssertReconciled(fake.Engine.GetCounters());
        }
    }

    internal static string ExpectedSignature(string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(FakeEngine.Secret), Encoding.UTF8.GetBytes(timestamp + "+order")));

    internal static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + FakeEngine.Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(2);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9]{32}$")]
    private static partial Regex RequestIdPattern();

    [GeneratedRegex("^[0-9]{13}$")]
    private static partial Regex TimestampPattern();
}
