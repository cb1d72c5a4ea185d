namespace Oms.Engine.Tests.Support;

/// <summary>The fake transport and its answer bodies are test oracles: they get tests of their own.</summary>
public sealed class FakeSenderTests
{
    private static readonly Http2RequestTemplate s_template = new(
        "DELETE",
        "/7/api/pro/v1/futures/order",
        [new("content-type", "application/json"), new("x-auth-key", "key")],
        [new("x-auth-timestamp", false), new("x-auth-signature", true)]);

    [Fact]
    public void TrySend_Accepting_RecordsTokenHeadersAndTheBodyTakenApart()
    {
        var handler = new RecordingHandler();
        var sender = new FakeSender(handler);
        var body = "{\"id\":\"abc\",\"orderId\":\"o1\",\"symbol\":\"BTC-PERP\",\"time\":1573596082932}"u8;

        var result = sender.TrySend(s_template, "1573596082932"u8, "sig="u8, body, token: 42);
        var request = sender.WaitForRequest(0);

        Assert.Equal(Http2SendResult.Sent, result);
        Assert.Equal((0, 42L, "DELETE", "/7/api/pro/v1/futures/order"), (request.Index, request.Token, request.Method, request.Path));
        Assert.Equal(("1573596082932", "sig="), (request.Timestamp, request.Signature));
        Assert.Equal(["id", "orderId", "symbol", "time"], request.FieldNames);
        Assert.Equal(("abc", "o1", "BTC-PERP", (long?)1573596082932), (request.Id, request.OrderId, request.Symbol, request.Time));
        Assert.Equal(body.ToArray(), request.Body);
        Assert.Equal((1L, 1L, 0L), (sender.Attempts, sender.Accepted, sender.Refused));
    }

    [Fact]
    public void TrySend_FieldsInAnotherOrder_FieldNamesKeepTheBodysOrder()
    {
        var sender = new FakeSender(new RecordingHandler());

        sender.TrySend(s_template, [], [], "{\"time\":1,\"symbol\":\"S\",\"id\":\"i\",\"orderId\":\"o\"}"u8, 1);

        Assert.Equal(["time", "symbol", "id", "orderId"], sender.WaitForRequest(0).FieldNames);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{\"id\":7,\"time\":\"x\"}")]
    [InlineData("{\"id\":\"cut")]
    public void TrySend_BodyNotTheContractsShape_RecordedRawWithFieldsNull(string body)
    {
        var sender = new FakeSender(new RecordingHandler());

        sender.TrySend(s_template, [], [], Encoding.UTF8.GetBytes(body), 1);
        var request = sender.WaitForRequest(0);

        Assert.Equal(body, request.BodyText);
        Assert.Equal((null, null, null, (long?)null), (request.Id, request.OrderId, request.Symbol, request.Time));
    }

    [Theory]
    [InlineData(Http2SendResult.NoCapacity)]
    [InlineData(Http2SendResult.NoConnection)]
    [InlineData(Http2SendResult.Disposed)]
    internal void TrySend_RefusingOnDemand_RefusesRecordsNothingThenAcceptsAgain(Http2SendResult refusal)
    {
        var sender = new FakeSender(new RecordingHandler()) { RefuseWith = refusal };

        var refused = sender.TrySend(s_template, [], [], "{}"u8, 1);
        var countWhileRefusing = sender.RequestCount;
        sender.RefuseWith = Http2SendResult.Sent;
        var accepted = sender.TrySend(s_template, [], [], "{}"u8, 2);

        Assert.Equal((refusal, Http2SendResult.Sent), (refused, accepted));
        Assert.Equal(0, countWhileRefusing);
        Assert.Equal(2L, sender.WaitForRequest(0).Token);
        Assert.Equal((2L, 1L), (sender.Attempts, sender.Refused));
        Assert.Equal(refusal != Http2SendResult.NoConnection, new FakeSender(new RecordingHandler()) { RefuseWith = refusal }.IsConnected);
    }

    [Fact]
    public void TrySend_QueueFullOfUnreadRequests_RefusesNoCapacityUntilATestReadsThem()
    {
        var sender = new FakeSender(new RecordingHandler(), capacity: 2);

        var results = Enumerable.Range(0, 3).Select(i => sender.TrySend(s_template, [], [], "{}"u8, i)).ToArray();
        var count = sender.RequestCount;
        var afterRead = sender.TrySend(s_template, [], [], "{}"u8, 3);

        Assert.Equal([Http2SendResult.Sent, Http2SendResult.Sent, Http2SendResult.NoCapacity], results);
        Assert.Equal(2, count);
        Assert.Equal(Http2SendResult.Sent, afterRead);
        Assert.Equal([0L, 1L, 3L], sender.Requests.Select(r => r.Token));
        Assert.Equal(1, sender.QueueFullRefusals);
    }

    [Fact]
    public void TrySend_BodyLargerThanASlot_RefusedAndCountedNeverThrows()
    {
        var sender = new FakeSender(new RecordingHandler());

        var result = sender.TrySend(s_template, [], [], new byte[FakeSender.MaxBodyLength + 1], 1);

        Assert.Equal(Http2SendResult.NoConnection, result);
        Assert.Equal(1, sender.OversizedRequests);
        Assert.Equal(0, sender.RequestCount);
    }

    [Fact]
    public void FailNextInline_NextAcceptedRequest_FailedBeforeTrySendReturnsThenNoMore()
    {
        var handler = new RecordingHandler();
        var sender = new FakeSender(handler);

        sender.FailNextInline(Http2StreamFailure.ConnectionLost);
        sender.TrySend(s_template, [], [], "{}"u8, 5);
        var failuresAfterFirst = handler.Failures.Count;
        sender.TrySend(s_template, [], [], "{}"u8, 6);

        Assert.Equal(1, failuresAfterFirst);
        Assert.Equal([(5L, Http2StreamFailure.ConnectionLost)], handler.Failures);
        Assert.Equal(2, sender.RequestCount);
    }

    [Fact]
    public void Flush_Called_Counted()
    {
        var sender = new FakeSender(new RecordingHandler());

        sender.Flush();
        sender.Flush();

        Assert.Equal(2, sender.Flushes);
    }

    [Fact]
    public void RespondAndFail_RecordedRequest_ReachTheHandlerWithItsToken()
    {
        var handler = new RecordingHandler();
        var sender = new FakeSender(handler);
        sender.TrySend(s_template, [], [], "{}"u8, 7);
        sender.TrySend(s_template, [], [], "{}"u8, 8);

        sender.Respond(sender.WaitForRequest(0), 429, "<html>");
        sender.Fail(sender.WaitForRequest(1), Http2StreamFailure.Timeout);

        Assert.Equal([(7L, 429, "<html>")], handler.Responses);
        Assert.Equal([(8L, Http2StreamFailure.Timeout)], handler.Failures);
    }

    [Fact]
    public void WaitForRequest_SentFromAnotherThreadLater_ReturnsIt()
    {
        var sender = new FakeSender(new RecordingHandler());
        var sending = new Thread(() =>
        {
            Thread.Sleep(20);
            for (var i = 0; i < 100; i++)
            {
                sender.TrySend(s_template, [], [], "{}"u8, i);
            }
        });
        sending.Start();

        var last = sender.WaitForRequest(99);

        Assert.True(sending.Join(FakeSender.Bound));
        Assert.Equal(99L, last.Token);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), sender.Requests.Select(r => r.Token));
    }

    [Fact]
    public void TrySend_AfterWarmUp_AllocatesNothingOnTheSendingThread()
    {
        var sender = new FakeSender(new RecordingHandler(), capacity: 1024);
        var body = "{\"id\":\"abc\",\"orderId\":\"o1\",\"symbol\":\"BTC-PERP\",\"time\":1573596082932}"u8.ToArray();
        var timestamp = "1573596082932"u8.ToArray();
        for (var i = 0; i < 100; i++)
        {
            sender.TrySend(s_template, timestamp, timestamp, body, i);
        }

        _ = sender.RequestCount;
        var token = 100;
        var allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            for (var i = 0; i < 150; i++)
            {
                sender.TrySend(s_template, timestamp, timestamp, body, token++);
                sender.Flush();
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void AutoResponder_EveryRecordedRequest_AnsweredOnceInOrder()
    {
        var handler = new RecordingHandler();
        var sender = new FakeSender(handler);

        using (var responder = new AutoResponder(sender, (s, r) => s.Respond(r, 200, r.Token.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            for (var i = 0; i < 50; i++)
            {
                sender.TrySend(s_template, [], [], "{}"u8, i);
            }

            SpinWait.SpinUntil(() => responder.Answered == 50, FakeSender.Bound);
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (i, 200, i.ToString(System.Globalization.CultureInfo.InvariantCulture))), handler.Responses.Select(r => ((int)r.Token, r.Status, r.Body)));
    }

    [Fact]
    public void AutoResponder_AnswerDelegateThrows_RethrownOnDispose()
    {
        var sender = new FakeSender(new RecordingHandler());
        var responder = new AutoResponder(sender, (_, _) => throw new InvalidOperationException("boom"));
        sender.TrySend(s_template, [], [], "{}"u8, 1);
        SpinWait.SpinUntil(() => responder.Failed, FakeSender.Bound);

        var error = Assert.Throws<InvalidOperationException>(responder.Dispose);

        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public void FakeAnswersAck_ParsedByTheEngine_AckEchoingTheRequestId()
    {
        var parsed = Parse(FakeAnswers.Ack("sPWweX8baCYeFsKdmqZEmHdpliWaJuGm", "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", "BTC-PERP"));

        Assert.Equal(CancelResponseKind.Ack, parsed.Kind);
        Assert.True(parsed.EchoedIdEquals("sPWweX8baCYeFsKdmqZEmHdpliWaJuGm"u8));
    }

    [Fact]
    public void FakeAnswersOrderErr_ParsedByTheEngine_ErrWithCodeReasonAndEchoedId()
    {
        var parsed = Parse(FakeAnswers.OrderErr("ku30AehuWoHzMeyGEAS8heeDXpb1heOS", "BTC-PERP", 300006, "INVALID_ORDER_ID", "Invalid Client Order Id: x"));

        Assert.Equal((CancelResponseKind.Err, 300006L, VenueReason.InvalidOrderId), (parsed.Kind, parsed.Code, parsed.Reason));
        Assert.True(parsed.EchoedIdEquals("ku30AehuWoHzMeyGEAS8heeDXpb1heOS"u8));
    }

    [Fact]
    public void FakeAnswersShortErr_ParsedByTheEngine_ErrWithoutEchoedId()
    {
        var parsed = Parse(FakeAnswers.ShortErr(200001, "AUTHENTICATION_FAILED", "API signature mismatch"));

        Assert.Equal((CancelResponseKind.Err, VenueReason.AuthenticationFailed, false), (parsed.Kind, parsed.Reason, parsed.HasEchoedId));
    }

    [Fact]
    public void FakeAnswersHtml_ParsedByTheEngine_NotJson()
    {
        Assert.Equal(CancelResponseKind.NotJson, Parse(Encoding.UTF8.GetBytes(FakeAnswers.TooManyRequestsHtml)).Kind);
        Assert.Equal(CancelResponseKind.NotJson, Parse(Encoding.UTF8.GetBytes(FakeAnswers.ForbiddenHtml)).Kind);
    }

    [Fact]
    public void FakeAnswersWrongId_AnyId_SameLengthDifferentLastCharacter()
    {
        Assert.Equal("abcZ", FakeAnswers.WrongId("abcd"));
        Assert.Equal("abcY", FakeAnswers.WrongId("abcZ"));
    }

    private static CancelResponse Parse(byte[] body) => new CancelResponseParser(CancelProfile.V1).Parse(body, new byte[64], new byte[256], new byte[96]);

    private sealed class RecordingHandler : IHttp2ResponseHandler
    {
        private readonly ConcurrentQueue<(long Token, int Status, string Body)> _responses = new();
        private readonly ConcurrentQueue<(long Token, Http2StreamFailure Failure)> _failures = new();

        public IReadOnlyList<(long Token, int Status, string Body)> Responses => [.. _responses];

        public IReadOnlyList<(long Token, Http2StreamFailure Failure)> Failures => [.. _failures];

        public void OnResponse(long token, in Http2ResponseHead head, ReadOnlySpan<byte> body) => _responses.Enqueue((token, head.Status, Encoding.UTF8.GetString(body)));

        public void OnFailure(long token, Http2StreamFailure failure) => _failures.Enqueue((token, failure));
    }
}
