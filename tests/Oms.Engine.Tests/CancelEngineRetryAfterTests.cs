namespace Oms.Engine.Tests;

/// <summary>
/// A retryable answer with <c>retry-after</c>: the engine waits at least that long before sending anything again,
/// for that cancel and every other, and decides at once what cannot wait so long within the venue's window.
/// </summary>
/// <remarks>Time is only ever bounded from below: a slow machine can make a gap longer, never shorter.</remarks>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineRetryAfterTests
{
    private const string ServerError = "{\"code\":510001,\"reason\":\"SERVER_ERROR\",\"message\":\"x\"}";
    public static TheoryData<int, string> AnswersWithRetryAfter => new()
    {
        { 429, FakeAnswers.TooManyRequestsHtml },
        { 503, "" },
        { 200, ServerError },
    };

    [Theory]
    [MemberData(nameof(AnswersWithRetryAfter))]
    public async Task TryCancel_RetryableAnswerWithRetryAfter_RetryNotSentBeforeIt(int status, string body)
    {
        // Arrange: the engine's own back-off (5 ms) is far shorter than the venue's 1 s.
        await using var fake = FakeEngine.StartWithFirstCancel(out var first);

        // Act
        var answeredTicks = Stopwatch.GetTimestamp();
        fake.Sender.Respond(first, status, retryAfterSeconds: 1, body);
        var second = fake.Sender.WaitForRequest(1);
        fake.Sender.Ack(second);
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        // Assert
        var gap = Stopwatch.GetElapsedTime(answeredTicks, second.RecordedTicks);
        Assert.True(gap >= TimeSpan.FromSeconds(1), $"Resent after {gap}.");
        Assert.Equal("acked", outcome.Kind);
        Assert.Equal((2L, 1L, 1L), (counters.Requests, counters.Retries, counters.RetryAfterHonoured));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_429WithRetryAfter_OtherCancelsHeldUntilItToo()
    {
        // Arrange
        await using var fake = FakeEngine.StartWithFirstCancel(out var first);
        var answeredTicks = Stopwatch.GetTimestamp();
        fake.Sender.Respond(first, 429, retryAfterSeconds: 1, FakeAnswers.TooManyRequestsHtml);
        await CancelEngineOutcomeTests.WaitUntilAsync(() => fake.Engine.GetCounters().RetryAfterHonoured == 1, "the 429 to be decided");

        // Act: two other orders, published while the hold is on.
        fake.Cancel(FakeEngine.OrderId(2), tag: 2);
        fake.Cancel(FakeEngine.OrderId(3), tag: 3);
        var resent = new[] { fake.Sender.WaitForRequest(1), fake.Sender.WaitForRequest(2), fake.Sender.WaitForRequest(3) };
        fake.Sender.AckAll(resent);

        var counters = await fake.WaitForOutcomesAndIdleAsync(3);

        // Assert: nothing at all went out before the venue's time had passed.
        Assert.All(resent, request =>
        {
            var gap = Stopwatch.GetElapsedTime(answeredTicks, request.RecordedTicks);
            Assert.True(gap >= TimeSpan.FromSeconds(1), $"{request.OrderId} sent {gap} after the 429.");
        });
        Assert.Equal(
            [FakeEngine.OrderId(1), FakeEngine.OrderId(2), FakeEngine.OrderId(3)],
            resent.Select(r => r.OrderId!).Order(StringComparer.Ordinal));
        Assert.Equal(3, fake.Listener.CountOf("acked"));
        Assert.Equal((4L, 1L), (counters.Requests, counters.Retries));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_RetryAfterBeyondTheVenueWindow_EndsWithoutSendingAndLaterIntentsExpire()
    {
        // Arrange: 29 s from now is past the window (30 s minus the 2 s margin) of anything published now.
        await using var fake = FakeEngine.Start();
        fake.Cancel(FakeEngine.OrderId(1), tag: 1);

        // Act
        fake.Sender.Respond(fake.Sender.WaitForRequest(0), 429, retryAfterSeconds: 29, FakeAnswers.TooManyRequestsHtml);
        var outcome = await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);
        fake.Cancel(FakeEngine.OrderId(2), tag: 2);
        var later = await fake.Listener.WaitForTagAsync(2, FakeEngine.Bound);
        var counters = await fake.WaitIdleAsync();

        // Assert: the sent one fails as the back-off past the window does; the unsent one expires unsent.
        Assert.Equal(("failed", CancelFailureReason.VenueUnavailable), (outcome.Kind, outcome.Failure));
        Assert.Equal("expired", later.Kind);
        Assert.Equal((1L, 0L, 1L), (counters.Requests, counters.Retries, counters.RetryAfterHonoured));
        Assert.Equal(1, fake.Sender.RequestCount);
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_CancelWaitingWhenALongHoldBegins_ExpiresAtOnce()
    {
        // Arrange: the first cancel is on the wire; the second waits, the transport refusing it.
        await using var fake = FakeEngine.StartWithFirstCancel(out var first);
        fake.Sender.RefuseWith = Http2SendResult.NoCapacity;
        fake.Cancel(FakeEngine.OrderId(2), tag: 2);
        await CancelEngineOutcomeTests.WaitUntilAsync(() => fake.Sender.Refused >= 1, "the second cancel to meet a full transport");

        // Act: the hold starts before the second cancel could be sent, and lasts past its window. The transport keeps
        // refusing until then: opened earlier, the consumer's next retry tick could send the second cancel first, and
        // nothing here answers it (the test failed so whenever it ran alone, its code still cold).
        fake.Sender.Respond(first, 429, retryAfterSeconds: 60, FakeAnswers.TooManyRequestsHtml);
        var waiting = await fake.Listener.WaitForTagAsync(2, FakeEngine.Bound);
        var sent = await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);
        var counters = await fake.WaitIdleAsync();

        // Assert
        Assert.Equal("expired", waiting.Kind);
        Assert.Equal(("failed", CancelFailureReason.VenueUnavailable), (sent.Kind, sent.Failure));
        Assert.Equal(1, fake.Sender.RequestCount);
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_RetryableAnswerWithoutRetryAfter_NoHoldCounted()
    {
        // Arrange
        await using var fake = FakeEngine.Start();
        fake.Cancel(FakeEngine.OrderId(1), tag: 1);

        // Act
        fake.Sender.Respond(fake.Sender.WaitForRequest(0), 429, Http2ResponseHead.NoRetryAfter, FakeAnswers.TooManyRequestsHtml);
        fake.Sender.Ack(fake.Sender.WaitForRequest(1));
        await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);
        var counters = await fake.WaitIdleAsync();

        // Assert
        Assert.Equal((2L, 0L), (counters.Requests, counters.RetryAfterHonoured));
    }
}
