namespace Oms.Engine.Tests.Consumer;

/// <summary>The consumer alone, through its entry points: no ring thread, no engine, a fake sender.</summary>
public sealed class CancelConsumerTests
{
    private static readonly string s_orderId = FakeEngine.OrderId(1);

    [Fact]
    public void OnEvent_Intent_SendsOneRequestForTheOrderAndReportsNothingYet()
    {
        // Arrange
        using var harness = new ConsumerHarness();

        // Act
        harness.Intent(s_orderId, tag: 7);

        // Assert
        var request = Assert.Single(harness.Sender.Requests);
        Assert.Equal(s_orderId, request.OrderId);
        Assert.Equal("BTC-PERP", request.Symbol);
        Assert.Equal(0, harness.Listener.Count);
    }

    [Fact]
    public void OnEvent_AckCompletion_ReportsAckedOnceWithTheTag()
    {
        // Arrange
        using var harness = new ConsumerHarness();
        harness.Intent(s_orderId, tag: 7);

        // Act
        harness.Sender.Ack(harness.Sender.Requests[0]);
        Assert.Equal(1, harness.PendingCompletions);
        harness.DeliverCompletions();

        // Assert
        var outcome = Assert.Single(harness.Listener.Outcomes);
        Assert.Equal(7, outcome.Key);
        Assert.Equal("acked", outcome.Value.Kind);
        Assert.Equal(s_orderId, outcome.Value.OrderId);
    }

    [Fact]
    public void OnIdle_AfterTooManyRequests_SendsTheCancelAgainAndReportsOnlyTheFinalAck()
    {
        // Arrange
        using var harness = new ConsumerHarness();
        harness.Intent(s_orderId, tag: 7);
        harness.Sender.Respond(harness.Sender.Requests[0], 429, FakeAnswers.TooManyRequestsHtml);
        harness.DeliverCompletions();
        Assert.Equal(0, harness.Listener.Count);

        // Act
        Assert.True(harness.IdleUntil(() => harness.Sender.RequestCount == 2), "The 429 was not retried.");
        harness.Sender.Ack(harness.Sender.Requests[1]);
        harness.DeliverCompletions();

        // Assert
        Assert.Equal(s_orderId, harness.Sender.Requests[1].OrderId);
        Assert.Equal("acked", Assert.Single(harness.Listener.Outcomes).Value.Kind);
    }

    [Fact]
    public void OnEvent_StreamDisposedCompletion_FailsTheCancelAsStoppedWithoutRetry()
    {
        // Arrange
        using var harness = new ConsumerHarness();
        harness.Intent(s_orderId, tag: 7);

        // Act
        harness.Sender.Fail(harness.Sender.Requests[0], Http2StreamFailure.Disposed);
        harness.DeliverCompletions();
        harness.Consumer.OnIdle();

        // Assert
        var outcome = Assert.Single(harness.Listener.Outcomes).Value;
        Assert.Equal("failed", outcome.Kind);
        Assert.Equal(CancelFailureReason.Stopped, outcome.Failure);
        Assert.Equal(1, harness.Sender.RequestCount);
    }

    [Fact]
    public void OnEvent_UnparsableAnswer_FailsTheCancelAsBadResponse()
    {
        // Arrange
        using var harness = new ConsumerHarness();
        harness.Intent(s_orderId, tag: 7);

        // Act
        harness.Sender.Respond(harness.Sender.Requests[0], 200, "not json");
        harness.DeliverCompletions();

        // Assert
        var outcome = Assert.Single(harness.Listener.Outcomes).Value;
        Assert.Equal("failed", outcome.Kind);
        Assert.Equal(CancelFailureReason.BadResponse, outcome.Failure);
    }
}
