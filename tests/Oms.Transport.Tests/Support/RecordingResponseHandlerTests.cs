using Xunit.Sdk;

namespace Oms.Transport.Tests.Support;

public sealed class RecordingResponseHandlerTests
{
    [Fact]
    public void OnResponse_FirstReport_RecordsStatusAndBody()
    {
        var handler = new RecordingResponseHandler(4);

        handler.OnResponse(2, new Http2ResponseHead(204), "abc"u8);

        Assert.Equal(204, handler.Status(2));
        Assert.Equal("abc"u8.ToArray(), handler.Body(2));
        Assert.Equal(1, handler.Outcomes);
        Assert.Equal(0, handler.DoubleReports);
    }

    [Fact]
    public void OnFailure_AfterResponseForSameToken_CountsDoubleReportAndKeepsFirstOutcome()
    {
        var handler = new RecordingResponseHandler(4);
        handler.OnResponse(1, new Http2ResponseHead(200), []);

        handler.OnFailure(1, Http2StreamFailure.Timeout);

        Assert.Equal(1, handler.DoubleReports);
        Assert.True(handler.IsResponse(1));
        Assert.Null(handler.FailureOf(1));
        Assert.Equal(1, handler.Outcomes);
    }

    [Fact]
    public void OnFailure_SameTokenTwice_CountsDoubleReport()
    {
        var handler = new RecordingResponseHandler(4);

        handler.OnFailure(3, Http2StreamFailure.Reset);
        handler.OnFailure(3, Http2StreamFailure.ConnectionLost);

        Assert.Equal(1, handler.DoubleReports);
        Assert.Equal(Http2StreamFailure.Reset, handler.FailureOf(3));
    }

    [Fact]
    public void OnResponse_TokenOutsideCapacity_CountsAsViolation()
    {
        var handler = new RecordingResponseHandler(4);

        handler.OnResponse(4, new Http2ResponseHead(200), []);
        handler.OnFailure(-1, Http2StreamFailure.Reset);

        Assert.Equal(2, handler.DoubleReports);
        Assert.Equal(0, handler.Outcomes);
    }

    [Fact]
    public void AssertExactlyOneOutcomeEach_TokenWithoutOutcome_Fails()
    {
        var handler = new RecordingResponseHandler(4);
        handler.OnResponse(0, new Http2ResponseHead(200), []);

        Assert.ThrowsAny<XunitException>(() => handler.AssertExactlyOneOutcomeEach(2));
    }

    [Fact]
    public void AssertExactlyOneOutcomeEach_DoubleReport_Fails()
    {
        var handler = new RecordingResponseHandler(4);
        handler.OnResponse(0, new Http2ResponseHead(200), []);
        handler.OnResponse(0, new Http2ResponseHead(200), []);

        Assert.ThrowsAny<XunitException>(() => handler.AssertExactlyOneOutcomeEach(1));
    }

    [Fact]
    public void CountFailures_MixedOutcomes_CountsOnlyThatKind()
    {
        var handler = new RecordingResponseHandler(4);
        handler.OnFailure(0, Http2StreamFailure.Reset);
        handler.OnFailure(1, Http2StreamFailure.NotProcessed);
        handler.OnResponse(2, new Http2ResponseHead(200), []);
        handler.OnFailure(3, Http2StreamFailure.Reset);

        Assert.Equal(2, handler.CountFailures(4, Http2StreamFailure.Reset));
        Assert.Equal(1, handler.CountResponses(4));
    }

    [Fact]
    public void WaitForOutcomes_FewerThanExpected_ReturnsFalse()
    {
        var handler = new RecordingResponseHandler(4);
        handler.OnResponse(0, new Http2ResponseHead(200), []);

        Assert.False(handler.WaitForOutcomes(2, TimeSpan.FromMilliseconds(20)));
        Assert.True(handler.WaitForOutcomes(1, TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void OnResponse_WithoutKeepingBodies_AllocatesNothing()
    {
        var handler = new RecordingResponseHandler(64, keepBodies: false);
        handler.OnResponse(0, new Http2ResponseHead(200), "x"u8);

        var allocated = AllocationMeter.AllocatedBytes(() =>
        {
            for (var i = 1; i < 64; i++)
            {
                handler.OnResponse(i, new Http2ResponseHead(200), "x"u8);
            }
        });

        Assert.Equal(0, allocated);
    }
}
