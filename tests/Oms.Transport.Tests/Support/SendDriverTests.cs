namespace Oms.Transport.Tests.Support;

public sealed class SendDriverTests
{
    [Fact]
    public void SendAll_SenderRefusesOnce_FlushesRetriesAndSendsEveryToken()
    {
        var sender = new ScriptedSender(refuseAt: 2);

        var refusals = SendDriver.SendAll(sender, 0, 5, t => sender.TrySend(null!, [], [], [], [], t), batchSize: 2, TimeSpan.FromSeconds(5));

        Assert.Equal(1, refusals);
        Assert.Equal([0, 1, 2, 3, 4], sender.Sent);
        Assert.True(sender.Flushes >= 3);
    }

    [Fact]
    public void SendAll_SenderNeverHasRoom_ThrowsAfterTheDeadline()
    {
        var sender = new ScriptedSender(refuseAt: 0, refuseForever: true);

        Assert.Throws<TimeoutException>(() => SendDriver.SendAll(sender, 0, 1, t => sender.TrySend(null!, [], [], [], [], t), 1, TimeSpan.FromMilliseconds(50)));
    }

    private sealed class ScriptedSender(long refuseAt, bool refuseForever = false) : IHttp2RequestSender
    {
        private bool _refused;

        public List<long> Sent { get; } = [];

        public int Flushes { get; private set; }

        public bool IsConnected => true;

        public Http2SendResult TrySend(Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token)
        {
            if (token == refuseAt && (refuseForever || !_refused))
            {
                _refused = true;
                return Http2SendResult.NoCapacity;
            }

            Sent.Add(token);
            return Http2SendResult.Sent;
        }

        public void Flush() => Flushes++;
    }
}
