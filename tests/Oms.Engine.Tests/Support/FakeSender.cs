namespace Oms.Engine.Tests.Support;

/// <summary>
/// A transport substitute for the engine's consumer: records every request, refuses on demand, and lets a test
/// answer any recorded request from its own thread through the engine's <see cref="IHttp2ResponseHandler"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="TrySend(Http2RequestTemplate, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, long)"/> and <see cref="Flush"/> run on the engine's consumer thread and only copy into slots
/// allocated up front (a single-producer queue), so the consumer's own allocations can be measured with this fake
/// in place. Test threads turn the slots into <see cref="FakeRequest"/> objects when they ask for requests.
/// </para>
/// <para>
/// A full queue (the test stopped reading requests) refuses with <see cref="Http2SendResult.NoCapacity"/>, as a
/// connection at its stream limit would, and is counted in <see cref="QueueFullRefusals"/>. The fake never throws on
/// the consumer thread: a request too large for a slot is refused with <see cref="Http2SendResult.NoConnection"/>
/// and counted in <see cref="OversizedRequests"/>.
/// </para>
/// </remarks>
internal sealed class FakeSender : IHttp2RequestSender
{
    /// <summary>The largest body a slot holds; a single cancel is about 120 bytes, a batch of ten about 1,200.</summary>
    public const int MaxBodyLength = 2048;

    /// <summary>The longest path query a slot holds (a status query of 50 ids is about 1,700).</summary>
    public const int MaxQueryLength = 2048;

    /// <summary>The largest variable header value a slot holds (timestamp 13, signature 44).</summary>
    public const int MaxHeaderLength = 64;

    /// <summary>A liveness bound for waits, not a timing expectation.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private readonly Slot[] _slots;
    private readonly List<FakeRequest> _requests = [];
    private readonly Lock _drainLock = new();
    private long _produced;
    private long _consumed;
    private int _refuseWith;
    private long _attempts;
    private long _refused;
    private long _queueFull;
    private long _oversized;
    private long _flushes;
    private int _failNextInline = -1;

    /// <summary>Creates a fake answering through <paramref name="handler"/>.</summary>
    /// <param name="handler">The engine's response handler (the factory argument of <c>CancelEngine.StartWith</c>).</param>
    /// <param name="capacity">Requests recorded but not yet read by a test thread before the fake refuses; a power of two.</param>
    public FakeSender(IHttp2ResponseHandler handler, int capacity = 4096)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (capacity < 1 || !int.IsPow2(capacity))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A power of two.");
        }

        Handler = handler;
        _slots = new Slot[capacity];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new Slot();
        }
    }

    /// <summary>The handler answers go to.</summary>
    public IHttp2ResponseHandler Handler { get; }

    /// <summary>What <see cref="TrySend(Http2RequestTemplate, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, long)"/> answers: <see cref="Http2SendResult.Sent"/> (accept and record) or a refusal.</summary>
    public Http2SendResult RefuseWith
    {
        get => (Http2SendResult)Volatile.Read(ref _refuseWith);
        set => Volatile.Write(ref _refuseWith, (int)value);
    }

    /// <inheritdoc />
    public bool IsConnected => RefuseWith != Http2SendResult.NoConnection;

    /// <summary>Calls to <see cref="TrySend(Http2RequestTemplate, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, long)"/>, refused or not.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Calls refused because of <see cref="RefuseWith"/>.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Calls refused because no test thread read the recorded requests.</summary>
    public long QueueFullRefusals => Interlocked.Read(ref _queueFull);

    /// <summary>Calls refused because a value did not fit a slot (a fake that is too small, not an engine fault).</summary>
    public long OversizedRequests => Interlocked.Read(ref _oversized);

    /// <summary>Calls to <see cref="Flush"/>.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>
    /// Makes the next accepted request fail with <paramref name="failure"/> from inside <see cref="TrySend(Http2RequestTemplate, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, long)"/>, before it
    /// returns: the extreme case of a connection that dies on its reader thread right after the stream was registered.
    /// </summary>
    public void FailNextInline(Http2StreamFailure failure) => Volatile.Write(ref _failNextInline, (int)failure);

    /// <summary>
    /// Runs on the consumer thread right after a request is taken, with its index: a test's stand-in for a strategy
    /// thread that publishes while the consumer is busy.
    /// </summary>
    public Action<long>? AfterSend { get; set; }

    /// <summary>Requests accepted so far (recorded, whether or not a test thread has read them yet).</summary>
    public long Accepted => Volatile.Read(ref _produced);

    /// <summary>Records a request without a query (what the interface's own overload does).</summary>
    public Http2SendResult TrySend(Http2RequestTemplate template, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token) =>
        TrySend(template, [], firstVariableValue, secondVariableValue, body, token);

    /// <inheritdoc />
    /// <remarks>Consumer thread; copies into a pre-allocated slot and never allocates or throws.</remarks>
    public Http2SendResult TrySend(Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token)
    {
        Interlocked.Increment(ref _attempts);
        var refusal = RefuseWith;
        if (refusal != Http2SendResult.Sent)
        {
            Interlocked.Increment(ref _refused);
            return refusal;
        }

        if (body.Length > MaxBodyLength || pathQuery.Length > MaxQueryLength || firstVariableValue.Length > MaxHeaderLength || secondVariableValue.Length > MaxHeaderLength)
        {
            Interlocked.Increment(ref _oversized);
            return Http2SendResult.NoConnection;
        }

        var produced = _produced;
        if (produced - Volatile.Read(ref _consumed) >= _slots.Length)
        {
            Interlocked.Increment(ref _queueFull);
            return Http2SendResult.NoCapacity;
        }

        var slot = _slots[produced & (_slots.Length - 1)];
        slot.Template = template;
        slot.Token = token;
        slot.Ticks = Stopwatch.GetTimestamp();
        slot.QueryLength = pathQuery.Length;
        pathQuery.CopyTo(slot.Query);
        slot.BodyLength = body.Length;
        body.CopyTo(slot.Body);
        slot.FirstVariableValueLength = firstVariableValue.Length;
        firstVariableValue.CopyTo(slot.FirstVariableValue);
        slot.SecondVariableValueLength = secondVariableValue.Length;
        secondVariableValue.CopyTo(slot.SecondVariableValue);

        // Release: the slot's contents are visible before a reader sees the new count.
        Volatile.Write(ref _produced, produced + 1);
        AfterSend?.Invoke(produced);
        var inline = Interlocked.Exchange(ref _failNextInline, -1);
        if (inline >= 0)
        {
            Handler.OnFailure(token, (Http2StreamFailure)inline);
        }

        return Http2SendResult.Sent;
    }

    /// <inheritdoc />
    public void Flush() => Interlocked.Increment(ref _flushes);

    /// <summary>Every request recorded so far, in send order.</summary>
    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_drainLock)
            {
                DrainUnderLock();
                return [.. _requests];
            }
        }
    }

    /// <summary>How many requests have been recorded.</summary>
    public int RequestCount
    {
        get
        {
            lock (_drainLock)
            {
                DrainUnderLock();
                return _requests.Count;
            }
        }
    }

    /// <summary>The request recorded at <paramref name="index"/> (0-based), waiting up to <see cref="Bound"/> for it.</summary>
    /// <exception cref="TimeoutException">It did not come within the bound.</exception>
    public FakeRequest WaitForRequest(int index)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Bound.TotalSeconds * Stopwatch.Frequency);
        var spinner = default(SpinWait);
        while (true)
        {
            lock (_drainLock)
            {
                DrainUnderLock();
                if (_requests.Count > index)
                {
                    return _requests[index];
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Request #{index} was not sent within {Bound} ({RequestCount} sent, {Attempts} attempts).");
            }

            spinner.SpinOnce(sleep1Threshold: 20);
        }
    }

    /// <summary>Takes the requests recorded after the first <paramref name="alreadySeen"/>, without waiting.</summary>
    public IReadOnlyList<FakeRequest> RequestsAfter(int alreadySeen)
    {
        lock (_drainLock)
        {
            DrainUnderLock();
            return alreadySeen >= _requests.Count ? [] : _requests.GetRange(alreadySeen, _requests.Count - alreadySeen);
        }
    }

    /// <summary>Answers a request with a status and a body.</summary>
    public void Respond(FakeRequest request, int status, ReadOnlySpan<byte> body) => Handler.OnResponse(request.Token, new Http2ResponseHead(status), body);

    /// <summary>Answers a request with a status, a <c>retry-after</c> in seconds and a UTF-8 body.</summary>
    public void Respond(FakeRequest request, int status, int retryAfterSeconds, string body) =>
        Handler.OnResponse(request.Token, new Http2ResponseHead(status, retryAfterSeconds), System.Text.Encoding.UTF8.GetBytes(body));

    /// <summary>Answers a request with a status and a UTF-8 body.</summary>
    public void Respond(FakeRequest request, int status, string body) => Handler.OnResponse(request.Token, new Http2ResponseHead(status), System.Text.Encoding.UTF8.GetBytes(body));

    /// <summary>Answers a request 200 with the contract's v1 Ack, echoing its id.</summary>
    public void Ack(FakeRequest request) => Respond(request, 200, FakeAnswers.Ack(request));

    /// <summary>Acks each request, in order.</summary>
    public void AckAll(IEnumerable<FakeRequest> requests)
    {
        foreach (var request in requests)
        {
            Ack(request);
        }
    }

    /// <summary>Answers as the transport does when a body passed its limit: the head marked truncated, the body's first bytes.</summary>
    public void RespondTruncated(FakeRequest request, int status, ReadOnlySpan<byte> firstBytes) =>
        Handler.OnResponse(request.Token, new Http2ResponseHead(status, isTruncated: true), firstBytes);

    /// <summary>Ends a request without an answer.</summary>
    public void Fail(FakeRequest request, Http2StreamFailure failure) => Handler.OnFailure(request.Token, failure);

    private void DrainUnderLock()
    {
        var produced = Volatile.Read(ref _produced);
        for (var next = _consumed; next < produced; next++)
        {
            var slot = _slots[next & (_slots.Length - 1)];
            _requests.Add(FakeRequest.From(
                _requests.Count,
                slot.Token,
                slot.Template!,
                slot.Query.AsSpan(0, slot.QueryLength),
                slot.FirstVariableValue.AsSpan(0, slot.FirstVariableValueLength),
                slot.SecondVariableValue.AsSpan(0, slot.SecondVariableValueLength),
                slot.Body.AsSpan(0, slot.BodyLength),
                slot.Ticks));

            // Release: the copy above is done before the sender may overwrite the slot.
            Volatile.Write(ref _consumed, next + 1);
        }
    }

    private sealed class Slot
    {
        public readonly byte[] Body = new byte[MaxBodyLength];
        public readonly byte[] Query = new byte[MaxQueryLength];
        public int QueryLength;
        public readonly byte[] FirstVariableValue = new byte[MaxHeaderLength];
        public readonly byte[] SecondVariableValue = new byte[MaxHeaderLength];
        public Http2RequestTemplate? Template;
        public long Token;
        public long Ticks;
        public int BodyLength;
        public int FirstVariableValueLength;
        public int SecondVariableValueLength;
    }
}
