namespace Oms.Engine.Tests;

/// <summary>Answers that are odd: a wrong echoed id, a body that is not the contract's, an unexpected status.</summary>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineResponseShapeTests
{
    [Fact]
    public async Task TryCancel_AckEchoesAnotherId_AckedByStreamAndMismatchCounted()
    {
        await using var fake = FakeEngine.StartWithFirstCancel(out var request);
        fake.Sender.Respond(request, 200, FakeAnswers.Ack(FakeAnswers.WrongId(request.Id!), request.OrderId!, request.Symbol!));
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal("acked", outcome.Kind);
        Assert.Equal((1L, 1L), (counters.IdMismatches, counters.Acked));
        Assert.Equal([(1L, request.Id!, FakeAnswers.WrongId(request.Id!))], fake.Listener.IdMismatches);
        Assert.Equal(0, fake.Listener.DoubleReports);
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_ErrEchoesAnotherId_RejectedByStreamAndMismatchCounted()
    {
        await using var fake = FakeEngine.StartWithFirstCancel(out var request);
        fake.Sender.Respond(request, 200, FakeAnswers.OrderErr(FakeAnswers.WrongId(request.Id!), "BTC-PERP", 300006, "INVALID_ORDER_ID", "unknown"));
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal(("rejected", VenueReason.InvalidOrderId), (outcome.Kind, outcome.Reason));
        Assert.Equal(1, counters.IdMismatches);
        Assert.Equal([(1L, request.Id!, FakeAnswers.WrongId(request.Id!))], fake.Listener.IdMismatches);
    }

    [Fact]
    public async Task TryCancel_AckEchoesTheSentId_NoMismatchCounted()
    {
        await using var fake = FakeEngine.Start();

        fake.Sender.Ack(fake.CancelFirst());
        await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);

        Assert.Equal(0, fake.Engine.GetCounters().IdMismatches);
        Assert.Empty(fake.Listener.IdMismatches);
    }

    public static TheoryData<string, string> OddBodiesOn200 => new()
    {
        { "{\"code\":0,\"data\":{\"accountId\":\"fut1FfjKA3W1L7XZOipGKZNFBb34GRQ3\",\"ac\":\"FUTURES\",\"act", "" },
        { "{\"code\":300006,\"status\":\"Err\",\"reason\":", "" },
        { "<html><body>gateway</body></html>", "" },
        { "not json at all", "" },
        { "", "" },

        // The parser classes a whitespace-only body as Empty and keeps no bytes of it (its own tests pin this).
        { "   \r\n", "whitespace" },
        { "{\"hello\":\"world\"}", "" },
        { "[1,2,3]", "" },
        { "{\"code\":0,\"data\":{}} trailing", "" },
        { "{\"code\":0,\"data\":{\"status\":\"Ack\"}", "" },
    };

    [Theory]
    [MemberData(nameof(OddBodiesOn200))]
    public async Task TryCancel_200WithABodyThatIsNotTheContracts_FailedBadResponseWithFirstBytes(string body, string note)
    {
        await using var fake = FakeEngine.Start();

        fake.Sender.Respond(fake.CancelFirst(), 200, body);
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal(("failed", CancelFailureReason.BadResponse), (outcome.Kind, outcome.Failure));
        Assert.Equal(note == "whitespace" ? "" : body, outcome.Text);
        Assert.Equal((1L, 0L), (counters.Requests, counters.Retries));
        Assert.Equal(CancelState.Failed, fake.Engine.GetCancelState(FakeEngine.OrderId(1)));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_LongOddBody_DetailIsItsFirstBytesOnly()
    {
        await using var fake = FakeEngine.Start();
        var body = "<!DOCTYPE html>" + new string('x', 1000);

        fake.Sender.Respond(fake.CancelFirst(), 200, body);
        var outcome = await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);

        Assert.Equal(body[..InFlightEntry.DiagnosticCapacity], outcome.Text);
    }

    [Fact]
    public async Task TryCancel_AckCutAtTheBodyLimit_FailedBadResponseWithItsFirstBytesNeverAcked()
    {
        // The first bytes of an over-long body can be a whole Ack followed by padding: cut, it must not pass for one.
        await using var fake = FakeEngine.StartWithFirstCancel(out var request);

        fake.Sender.RespondTruncated(request, 200, FakeAnswers.Ack(request));
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal(("failed", CancelFailureReason.BadResponse), (outcome.Kind, outcome.Failure));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(FakeAnswers.Ack(request).AsSpan(0, InFlightEntry.DiagnosticCapacity)), outcome.Text);
        Assert.Equal((1L, 0L), (counters.Requests, counters.Retries));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_503CutAtTheBodyLimit_RetriedAsAny503()
    {
        await using var fake = FakeEngine.Start();

        fake.Sender.RespondTruncated(fake.CancelFirst(), 503, "<html>busy"u8);
        fake.Sender.Ack(fake.Sender.WaitForRequest(1));
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal("acked", outcome.Kind);
        Assert.Equal((2L, 1L), (counters.Requests, counters.Retries));
    }

    [Theory]
    [InlineData(404, "Not Found")]
    [InlineData(400, "{\"code\":0,\"data\":{\"status\":\"Ack\",\"info\":{}}}")]
    [InlineData(0, "")]
    public async Task TryCancel_UnexpectedHttpStatus_FailedBadResponseWithoutRetry(int status, string body)
    {
        await using var fake = FakeEngine.Start();

        fake.Sender.Respond(fake.CancelFirst(), status, Encoding.UTF8.GetBytes(body));
        var (outcome, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.Equal(("failed", CancelFailureReason.BadResponse), (outcome.Kind, outcome.Failure));
        Assert.Equal(body, outcome.Text);
        Assert.Equal(1L, counters.Requests);
        FakeEngine.AssertReconciled(counters);
    }
}
