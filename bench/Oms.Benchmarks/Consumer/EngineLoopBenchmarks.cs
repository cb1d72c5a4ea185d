using System.Text;
using BenchmarkDotNet.Attributes;
using Oms.Benchmarks.Support;
using Oms.Engine;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;
using Oms.Engine.Sequencing;
using Oms.Engine.Signing;
using Oms.Transport.Client;

namespace Oms.Benchmarks.Consumer;

/// <summary>
/// The whole engine for a cancel, without a network: <see cref="CancelEngine.TryCancel(ReadOnlySpan{char}, ReadOnlySpan{char}, long, out CancelRefusal)"/>
/// on the benchmark's thread; the consumer (busy-spin, its own thread) takes the intent, claims the order's state,
/// signs, writes the body, header block and frames, and hands them to a transport that answers every request of a
/// flush at once with the contract's Ack (echoing the id and the order id); the answer comes back through the ring
/// as a completion and the listener hears Acked. What is left when the wire and the venue cost nothing: the
/// engine's own share of a round trip, and its cost per cancel in a burst.
/// </summary>
/// <remarks>
/// The answers are handed back on the consumer's thread during its flush, where the real transport's reader
/// thread would hand them back; the completion then travels the ring as it does in production. Every cancel is for
/// a new order (final states are kept 0 s, so the table recycles them within the sweep's one-second lap).
/// </remarks>
[MemoryDiagnoser]
public class EngineLoopBenchmarks
{
    /// <summary>Cancels per burst invocation.</summary>
    public const int BurstSize = 1024;

    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    private readonly char[] _orderId = "bench000000000000000000000000000".ToCharArray();
    private CancelEngine _engine = null!;
    private CountingListener _listener = null!;
    private long _next;

    /// <summary>
    /// Whether each order's fate is confirmed too (by status queries the transport answers Canceled): the cancel path
    /// must cost the same either way.
    /// </summary>
    [Params(false, true)]
    public bool Confirm { get; set; }

    /// <summary>Starts the engine on the answering transport and checks that cancels come back Acked.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _listener = new CountingListener();
        var settings = new CancelEngineSettings
        {
            BaseUrl = new Uri("http://" + Fixtures.Authority),
            AccountGroup = Fixtures.AccountGroup,
            WaitStrategy = WaitStrategyKind.BusySpin,
            RateLimitPerSecond = 0,
            InFlightUntilKeyProven = 0,
            RingSize = 4096,
            OrderStateCapacity = 1 << 20,
            OrderStateRetention = TimeSpan.Zero,
            Confirmation = new ConfirmationSettings
            {
                Enabled = Confirm,
                RecheckInterval = TimeSpan.FromMilliseconds(1),
                MaxIdsPerStatusRequest = 50,
                Capacity = 1 << 17,
            },
        };
        _engine = CancelEngine.StartWith(settings, new ApiCredentials(Fixtures.ApiKey, Fixtures.ApiSecret), _listener, handler => new AnsweringSender(handler));
        Burst();
        EngineCountersSnapshot counters = _engine.GetCounters();
        BenchmarkCheck.Equal((long)BurstSize, counters.Acked, "acked after one burst");
        BenchmarkCheck.Equal(0L, counters.Failed + counters.Rejected + counters.Expired + counters.IdMismatches, "anything but Acked");
    }

    /// <summary>Stops the engine within a bounded time.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.StopAsync(TimeSpan.FromSeconds(1)).Wait(s_bound);
        _engine.DisposeAsync().AsTask().Wait(s_bound);
    }

    /// <summary>One cancel at a time: publish, then wait for its outcome. The time is the engine's round trip.</summary>
    /// <returns>The outcomes seen so far.</returns>
    [Benchmark]
    public long OneInFlight()
    {
        long target = _listener.Outcomes + 1;
        Publish();
        return WaitFor(target);
    }

    /// <summary>A burst published at once, then every outcome awaited. The time per operation is per cancel.</summary>
    /// <returns>The outcomes seen so far.</returns>
    [Benchmark(OperationsPerInvoke = BurstSize)]
    public long Burst()
    {
        long target = _listener.Outcomes + BurstSize;
        for (int i = 0; i < BurstSize; i++)
        {
            Publish();
        }

        return WaitFor(target);
    }

    private void Publish()
    {
        // A new order each time: the counter's digits into the id's tail, no allocation.
        long n = ++_next;
        for (int i = _orderId.Length - 1; i >= 5; i--)
        {
            _orderId[i] = (char)('0' + (n % 10));
            n /= 10;
        }

        if (!_engine.TryCancel(_orderId, Fixtures.Symbol, _next, TimeSpan.FromSeconds(1), out CancelRefusal refusal))
        {
            throw new InvalidOperationException($"TryCancel refused: {refusal}");
        }
    }

    private long WaitFor(long target)
    {
        long deadline = Environment.TickCount64 + (long)s_bound.TotalMilliseconds;
        long seen;
        while ((seen = _listener.Outcomes) < target)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"{seen} of {target} outcomes; counters {_engine.GetCounters()}");
            }

            Thread.SpinWait(1);
        }

        return seen;
    }

    /// <summary>Counts outcomes; called on the consumer thread.</summary>
    private sealed class CountingListener : ICancelListener
    {
        private long _outcomes;

        public long Outcomes => Volatile.Read(ref _outcomes);

        public void OnAcked(long tag, ReadOnlySpan<byte> orderId) => Volatile.Write(ref _outcomes, _outcomes + 1);

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message) =>
            Volatile.Write(ref _outcomes, _outcomes + 1);

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail) =>
            Volatile.Write(ref _outcomes, _outcomes + 1);

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId) => Volatile.Write(ref _outcomes, _outcomes + 1);
    }

    /// <summary>
    /// A transport on the consumer's thread that answers each request of a flush with the contract's Ack, echoing
    /// the request's id and order id into a copy of the fixture's Ack body.
    /// </summary>
    private sealed class AnsweringSender(IHttp2ResponseHandler handler) : IHttp2RequestSender
    {
        private const int Capacity = 8192;
        private const int IdLength = RequestIdGenerator.Length;

        private static readonly byte[] s_ack = Encoding.UTF8.GetBytes(Fixtures.AckBody);
        private static readonly int s_ackIdAt = Fixtures.AckBody.IndexOf(Fixtures.RequestId, StringComparison.Ordinal);
        private static readonly int s_ackOrderIdAt = Fixtures.AckBody.IndexOf(Fixtures.OrderId, StringComparison.Ordinal);

        private readonly long[] _tokens = new long[Capacity];
        private readonly byte[] _ids = new byte[Capacity * IdLength];
        private readonly byte[] _orderIds = new byte[Capacity * IdLength];
        private readonly byte[] _answer = (byte[])s_ack.Clone();
        private readonly StatusAnswers _status = new();
        private int _pending;

        public bool IsConnected => true;

        public Http2SendResult TrySend(Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token)
        {
            if (_pending == Capacity)
            {
                return Http2SendResult.NoCapacity;
            }

            if (!pathQuery.IsEmpty)
            {
                // A status query: answered at once, every order it names Canceled.
                handler.OnResponse(token, new Http2ResponseHead(200), _status.AnswerCanceled(pathQuery));
                return Http2SendResult.Sent;
            }

            // {"id":"<32>","orderId":"<32>",...: the request writer's fixed layout for the v1 profile.
            body.Slice("{\"id\":\"".Length, IdLength).CopyTo(_ids.AsSpan(_pending * IdLength));
            body.Slice("{\"id\":\"".Length + IdLength + "\",\"orderId\":\"".Length, IdLength).CopyTo(_orderIds.AsSpan(_pending * IdLength));
            _tokens[_pending++] = token;
            return Http2SendResult.Sent;
        }

        public void Flush()
        {
            for (int i = 0; i < _pending; i++)
            {
                _ids.AsSpan(i * IdLength, IdLength).CopyTo(_answer.AsSpan(s_ackIdAt));
                _orderIds.AsSpan(i * IdLength, IdLength).CopyTo(_answer.AsSpan(s_ackOrderIdAt));
                handler.OnResponse(_tokens[i], new Http2ResponseHead(200), _answer);
            }

            _pending = 0;
        }
    }

    /// <summary>Writes a status answer naming every order of a query Canceled, into one reused buffer.</summary>
    private sealed class StatusAnswers
    {
        private readonly byte[] _buffer = new byte[64 * 1024];

        public ReadOnlySpan<byte> AnswerCanceled(ReadOnlySpan<byte> pathQuery)
        {
            var ids = pathQuery["?orderId=".Length..];
            var length = Append(0, """{"ac":"FUTURES","accountId":"a","code":0,"data":["""u8);
            var first = true;
            while (!ids.IsEmpty)
            {
                var comma = ids.IndexOf((byte)',');
                var id = comma < 0 ? ids : ids[..comma];
                ids = comma < 0 ? [] : ids[(comma + 1)..];
                if (id.IsEmpty)
                {
                    continue;
                }

                length = Append(length, first ? "{\"orderId\":\""u8 : ",{\"orderId\":\""u8);
                length = Append(length, id);
                length = Append(length, "\",\"symbol\":\"BTC-PERP\",\"status\":\"Canceled\"}"u8);
                first = false;
            }

            length = Append(length, "]}"u8);
            return _buffer.AsSpan(0, length);
        }

        private int Append(int at, ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer.AsSpan(at));
            return at + bytes.Length;
        }
    }
}
