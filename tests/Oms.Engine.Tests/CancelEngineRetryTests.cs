namespace Oms.Engine.Tests;

/// <summary>Answers that say "later" and requests lost in transport: resent with new ids, within bounds, never spun.</summary>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineRetryTests
{
    public static TheoryData<int, string> RetryableAnswers => new()
    {
        { 429, FakeAnswers.TooManyRequestsHtml },
        { 403, FakeAnswers.ForbiddenHtml },
        { 500, "{\"code\":510001,\"reason\":\"SERVER_ERROR\",\"message\":\"internal error\"}" },
        { 502, "" },
        { 200, "{\"code\":510001,\"reason\":\"SERVER_ERROR\",\"message\":\"internal error\"}" },
        { 200, "{\"code\":100014,\"message\":\"risk limit: too many requests\"}" },
    };

    [Theory]
    [MemberData(nameof(RetryableAnswers))]
    public async Task TryCancel_RetryableAnswerEveryTime_ResentWithNewIdsThenFailedVenueUnavailable(int status, string body)
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RetryAttempts = 2 });
        fake.Cancel(FakeEngine.OrderId(1), tag: 1);

        for (var i = 0; i < 3; i++)
        {
            fake.Sender.Respond(fake.Sender.WaitForRequest(i), status, body);
        }

        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);
        var requests = fake.Sender.Requests;

        Assert.Equal(("failed", CancelFailureReason.VenueUnavailable), (outcome.Kind, outcome.Failure));
        Assert.Equal(3, requests.Count);
        Assert.Equal(3, requests.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(requests, r => Assert.Equal(FakeEngine.OrderId(1), r.OrderId));
        Assert.Equal((3L, 2L), (counters.Requests, counters.Retries));
        Assert.Equal(CancelState.Failed, fake.Engine.GetCancelState(FakeEngine.OrderId(1)));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_429ThenExhausted_DetailCarriesTheHtmlFirstBytes()
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RetryAttempts = 0 });

        fake.Sender.Respond(fake.CancelFirst(), 429, FakeAnswers.TooManyRequestsHtml);
        var outcome = await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);

        Assert.Equal(("failed", CancelFailureReason.VenueUnavailable), (outcome.Kind, outcome.Failure));
        Assert.StartsWith("<html>", outcome.Text, StringComparison.Ordinal);
        Assert.Equal(FakeAnswers.TooManyRequestsHtml[..outcome.Text.Length], outcome.Text);
    }

    [Theory]
    [MemberData(nameof(RetryableAnswers))]
    public async Task TryCancel_RetryableAnswerThenAck_AckedWithOneRetry(int status, string body)
    {
        await using var fake = FakeEngine.Start();

        fake.Sender.Respond(fake.CancelFirst(), status, body);
        fake.Sender.Ack(fake.Sender.WaitForRequest(1));
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal("acked", outcome.Kind);
        Assert.Equal((2L, 1L, 1L), (counters.Requests, counters.Retries, counters.Acked));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_RetryableAnswer_NotSentAgainBeforeTheBackoff()
    {
        var backoff = TimeSpan.FromMilliseconds(150);
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RetryBackoff = backoff });
        var first = fake.CancelFirst();

        var answeredTicks = Stopwatch.GetTimestamp();
        fake.Sender.Respond(first, 429, FakeAnswers.TooManyRequestsHtml);
        var second = fake.Sender.WaitForRequest(1);
        fake.Sender.Ack(second);
        await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);

        // A lower bound only: a slow machine can make the gap longer, never shorter.
        Assert.True(Stopwatch.GetElapsedTime(answeredTicks, second.RecordedTicks) >= backoff, $"Resent after {Stopwatch.GetElapsedTime(answeredTicks, second.RecordedTicks)}.");
    }

    [Fact]
    public async Task TryCancel_BackoffBeyondTheVenueWindow_FailsAtOnceWithoutResending()
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RetryBackoff = TimeSpan.FromSeconds(40) });

        fake.Sender.Respond(fake.CancelFirst(), 500, "{\"code\":510001,\"reason\":\"SERVER_ERROR\",\"message\":\"x\"}");
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal(("failed", CancelFailureReason.VenueUnavailable), (outcome.Kind, outcome.Failure));
        Assert.Equal((1L, 0L), (counters.Requests, counters.Retries));
        Assert.Equal(1, fake.Sender.RequestCount);
    }

    /// <summary>Every way the transport can lose a request (internal values, so the data is typed as objects).</summary>
    public static IEnumerable<object?[]> TransportLosses =>
        new[] { Http2StreamFailure.Reset, Http2StreamFailure.ConnectionLost, Http2StreamFailure.Timeout, Http2StreamFailure.ProtocolError, Http2StreamFailure.NotProcessed }
            .Select(failure => new object?[] { failure });

    [Theory]
    [MemberData(nameof(TransportLosses))]
    internal async Task TryCancel_LostInTransportEveryTime_ResentWithNewIdsThenFailedTransportExhausted(Http2StreamFailure failure)
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RetryAttempts = 2 });
        fake.Cancel(FakeEngine.OrderId(1), tag: 1);

        for (var i = 0; i < 3; i++)
        {
            fake.Sender.Fail(fake.Sender.WaitForRequest(i), failure);
        }

        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);
        var requests = fake.Sender.Requests;

        Assert.Equal(("failed", CancelFailureReason.TransportExhausted), (outcome.Kind, outcome.Failure));
        Assert.Equal(3, requests.Count);
        Assert.Equal(3, requests.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal((3L, 2L), (counters.Requests, counters.Retries));
        FakeEngine.AssertReconciled(counters);
    }

    [Theory]
    [MemberData(nameof(TransportLosses))]
    internal async Task TryCancel_LostInTransportThenAcked_Acked(Http2StreamFailure failure)
    {
        await using var fake = FakeEngine.StartWithFirstCancel(out var first);
        fake.Sender.Fail(first, failure);
        var second = fake.Sender.WaitForRequest(1);
        fake.Sender.Ack(second);
        var outcome = await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);

        Assert.Equal("acked", outcome.Kind);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(1, fake.Engine.GetCounters().Retries);
    }

    [Fact]
    public async Task TryCancel_NotProcessed_ResentAtOnceWhereOtherLossesWaitOutABackoff()
    {
        // A back-off longer than the venue window: any loss that waits must fail; only "never processed" goes again at once.
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RetryBackoff = TimeSpan.FromMinutes(10) });
        fake.Cancel(FakeEngine.OrderId(1), tag: 1);
        fake.Cancel(FakeEngine.OrderId(2), tag: 2);

        fake.Sender.Fail(fake.Sender.WaitForRequest(0), Http2StreamFailure.NotProcessed);
        fake.Sender.Fail(fake.Sender.WaitForRequest(1), Http2StreamFailure.Reset);
        var resent = fake.Sender.WaitForRequest(2);
        fake.Sender.Ack(resent);
        await fake.WaitForOutcomesAsync(2);

        Assert.Equal(FakeEngine.OrderId(1), resent.OrderId);
        Assert.Equal("acked", fake.Listener.Outcomes[1].Kind);
        Assert.Equal(("failed", CancelFailureReason.TransportExhausted), (fake.Listener.Outcomes[2].Kind, fake.Listener.Outcomes[2].Failure));
        Assert.Equal(3, fake.Sender.RequestCount);
    }

    [Theory]
    [InlineData(Http2StreamFailure.ConnectionLost)]
    [InlineData(Http2StreamFailure.NotProcessed)]
    internal async Task TryCancel_StreamFailsBeforeTrySendReturns_ResentAndAcked(Http2StreamFailure failure)
    {
        await using var fake = FakeEngine.Start();
        fake.Sender.FailNextInline(failure);

        var first = fake.CancelFirst();
        var second = fake.Sender.WaitForRequest(1);
        fake.Sender.Ack(second);
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal("acked", outcome.Kind);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal((2L, 1L), (counters.Requests, counters.Retries));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_TransportDisposedInFlight_FailedStopped()
    {
        await using var fake = FakeEngine.Start();

        fake.Sender.Fail(fake.CancelFirst(), Http2StreamFailure.Disposed);
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal(("failed", CancelFailureReason.Stopped), (outcome.Kind, outcome.Failure));
        Assert.Equal(1, fake.Sender.RequestCount);
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_MixedLossesAndAnswersOverManyOrders_OneOutcomeEachAndNoIdReused()
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RetryAttempts = 3 });
        var failures = new[] { Http2StreamFailure.Reset, Http2StreamFailure.Timeout, Http2StreamFailure.NotProcessed, Http2StreamFailure.ConnectionLost };
        using var venue = new AutoResponder(fake.Sender, (sender, request) =>
        {
            // Deterministic per request: a third of requests lost, a sixth answered 503, the rest acknowledged.
            switch (request.Index % 6)
            {
                case 0:
                case 3:
                    sender.Fail(request, failures[request.Index % failures.Length]);
                    break;
                case 1:
                    sender.Respond(request, 503, Encoding.UTF8.GetBytes("busy"));
                    break;
                default:
                    sender.Ack(request);
                    break;
            }
        });

        fake.CancelOrders(300);

        var counters = await fake.WaitForOutcomesAndIdleAsync(300);
        var requests = fake.Sender.Requests;

        Assert.Equal(0, fake.Listener.DoubleReports);
        Assert.Equal(requests.Count, requests.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(counters.Requests, requests.Count);
        Assert.Equal(counters.Requests - 300, counters.Retries);
        Assert.Equal(fake.Listener.CountOf("acked"), counters.Acked);
        Assert.Equal(fake.Listener.CountOf("failed"), counters.Failed);
        FakeEngine.AssertReconciled(counters);
    }
}
