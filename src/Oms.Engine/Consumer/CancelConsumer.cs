using System.Diagnostics;
using System.Text;
using Oms.Engine.Diagnostics;
using Oms.Engine.Metrics;
using Oms.Engine.Orders;
using Oms.Engine.Protocol;
using Oms.Engine.Signing;
using Oms.Engine.Throttling;
using Oms.Transport.Client;

namespace Oms.Engine.Consumer;

/// <summary>
/// The engine's single consumer: takes intents and completions off the ring, signs, writes and sends requests,
/// decides outcomes, retries, and tells the listener. Everything here runs on the consumer thread; the transport's
/// answers arrive at its <see cref="Completions"/> sink, which only parses and hands back.
/// </summary>
/// <remarks>Split by concern: this file sends; <c>CancelConsumer.Outcomes.cs</c> decides and reports.</remarks>
internal sealed partial class CancelConsumer : IDisposable
{
    // The order-state sweep goes round the table in slices of at least MinSweepSlice slots (fewer calls, each worth
    // making) and at most MaxSweepSlice (about 40 microseconds at the largest table: the bound on the latency it adds
    // to one batch), instead of scanning the whole table at once (19 ms at a million entries).
    private const int MinSweepSlice = 256;
    private const int MaxSweepSlice = 4096;

    // In-flight entries looked at past a busy one before giving up for this batch. The table holds at least 1,024 and
    // at least twice the streams the transport can have open, so a busy entry is rare and a run of them shorter still.
    private const int MaxInFlightProbes = 64;

    private readonly CancelEngineSettings _settings;
    private readonly ICancelListener _listener;
    private readonly EngineCounters _counters;
    private readonly SymbolTable _symbols;
    private readonly AdmissionGate _gate;
    private readonly CancelStateTable _states;
    private readonly CancelSigner _signer;
    private readonly CancelRequestWriter _writer;
    private readonly CancelResponseParser _parser;
    private readonly RequestIdGenerator _ids;
    private readonly Http2RequestTemplate _template;
    private readonly TokenBucket _limiter;
    private readonly InFlightEntry[] _inFlight;
    private readonly long _inFlightMask;
    private readonly PendingQueue _waiting;
    private readonly BackoffList _backoff;
    private readonly JoinerList _joiners;
    private readonly System.Collections.Concurrent.ConcurrentQueue<long> _overflowCompletions = new();
    private readonly byte[] _timestamp = new byte[CancelSigner.TimestampLength];
    private readonly InFlightEntry?[] _sentThisBatch;
    private readonly long _expiryTicks;
    private readonly long _retryBackoffTicks;
    private readonly long _sweepLapTicks;
    private readonly double _sweepSlotsPerTick;
    private readonly int _minSweepSlice;

    private IHttp2RequestSender _sender = null!;
    private IConsumerRing _ring = null!;
    private int _sentThisBatchCount;
    private long _sweptUpToTicks;

    // Stopwatch ticks before which nothing is sent: the venue's retry-after speaks for the whole account.
    private long _sendsHeldUntilTicks;
    private bool _authenticationFailed;

    // Set by the first answer that got past the venue's key and signature checks (any Ack, any Err but 200001 and 100011); until
    // then at most InFlightUntilKeyProven requests are on the wire.
    private bool _credentialsProven;
    private long _stopDeadlineTicks = long.MaxValue;
    private int _stopRequested;
    private TaskCompletionSource? _drained;

    public CancelConsumer(
        CancelEngineSettings settings, ApiCredentials credentials, ICancelListener listener, EngineCounters counters, SymbolTable symbols, AdmissionGate gate, int inFlightCapacity)
    {
        _gate = gate;
        _settings = settings;
        _credentialsProven = settings.InFlightUntilKeyProven == 0;
        _listener = listener;
        _counters = counters;
        _symbols = symbols;
        var profile = settings.Profile;
        _states = new CancelStateTable(settings.OrderStateCapacity, (long)(settings.OrderStateRetention.TotalSeconds * Stopwatch.Frequency));
        _signer = new CancelSigner(credentials, profile.PrehashPath);
        _writer = new CancelRequestWriter(profile);
        _parser = new CancelResponseParser(profile);
        _ids = new RequestIdGenerator();
        _template = new Http2RequestTemplate(
            CancelProfile.Method,
            profile.BuildPath(settings.AccountGroup),
            [new("content-type", "application/json"), new("x-auth-key", credentials.ApiKey)],
            [new("x-auth-timestamp", false), new("x-auth-signature", true)]);
        _limiter = settings.RateLimitPerSecond <= 0
            ? new TokenBucket(0, 1, settings.RateLimitBurst)
            : new TokenBucket((long)Math.Round(settings.RateLimitPerSecond * 1000), Stopwatch.Frequency * 1000, settings.RateLimitBurst);

        _inFlight = new InFlightEntry[inFlightCapacity];
        for (var i = 0; i < _inFlight.Length; i++)
        {
            _inFlight[i] = new InFlightEntry();
        }

        _inFlightMask = inFlightCapacity - 1;
        _sentThisBatch = new InFlightEntry?[inFlightCapacity];
        _waiting = new PendingQueue(settings.RingSize + inFlightCapacity);
        _backoff = new BackoffList(inFlightCapacity);
        _joiners = new JoinerList(_states.SlotCount, settings.RingSize);
        _expiryTicks = (long)((CancelEngineSettings.VenueWindow - settings.ExpiryMargin).TotalSeconds * Stopwatch.Frequency);
        _retryBackoffTicks = (long)(settings.RetryBackoff.TotalSeconds * Stopwatch.Frequency);
        _sweepLapTicks = (long)(SweepLap(settings.OrderStateRetention).TotalSeconds * Stopwatch.Frequency);
        _sweepSlotsPerTick = (double)_states.SlotCount / _sweepLapTicks;
        _minSweepSlice = Math.Min(MinSweepSlice, _states.SlotCount);
        _sweptUpToTicks = Stopwatch.GetTimestamp();
        Completions = new CompletionSink(_inFlight, _parser, _overflowCompletions);
        RoundTrip = new LatencyHistogram();
        TickToWire = new LatencyHistogram();
    }

    /// <summary>Where the transport delivers answers (the handler the engine gives the HTTP/2 client).</summary>
    public CompletionSink Completions { get; }

    /// <summary>Round trips (socket write to answer) recorded by the consumer; copy it to read it elsewhere.</summary>
    public LatencyHistogram RoundTrip { get; }

    /// <summary>Tick-to-wire (publish to socket write) recorded by the consumer.</summary>
    public LatencyHistogram TickToWire { get; }

    public CancelStateTable States => _states;

    /// <summary>
    /// How long the sweep takes to go round the whole order-state table: the retention, within 100 ms and 1 s, so a
    /// final entry is reclaimed at most one lap after its retention ends.
    /// </summary>
    internal static TimeSpan SweepLap(TimeSpan retention) =>
        TimeSpan.FromTicks(Math.Clamp(retention.Ticks, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerSecond));

    public long HmacComputations => _signer.ComputationCount;

    /// <summary>Wires the ring and the transport, which are built around this consumer.</summary>
    public void Attach(IConsumerRing ring, IHttp2RequestSender sender)
    {
        _ring = ring;
        _sender = sender;
        Completions.Attach(ring);
    }

    /// <summary>Asks the consumer to finish what it has (until <paramref name="deadlineTicks"/>) and then fail the rest as Stopped.</summary>
    public Task RequestStop(long deadlineTicks)
    {
        _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _stopDeadlineTicks, deadlineTicks);
        Volatile.Write(ref _stopRequested, 1);
        return _drained.Task;
    }

    public void OnBatchStart() => DrainOverflowCompletions();

    /// <summary>One event of a batch; the batch's end (<see cref="EndOfBatch"/>) is the caller's to call.</summary>
    public void OnEvent(ref CancelEvent e)
    {
        if (e.Kind == CancelEventKind.Completion)
        {
            OnCompletion(e.Token);
        }
        else
        {
            OnIntent(ref e);
        }
    }

    public void OnIdle()
    {
        DrainOverflowCompletions();
        EndOfBatch();
    }

    public void OnHandlerError(Exception error, long sequence)
    {
        // A bug in the consumer: keep serving, and make it visible through the listener-exception counter's sibling.
        _counters.OnListenerException();
        Debug.Fail($"Consumer error at sequence {sequence}: {error}");
    }

    private void OnIntent(ref CancelEvent e)
    {
        var pending = new PendingCancel
        {
            OrderIdLength = e.OrderIdLength,
            SymbolIndex = e.SymbolIndex,
            Tag = e.Tag,
            PublishTicks = e.PublishTicks,
        };
        ((ReadOnlySpan<byte>)e.OrderId)[..e.OrderIdLength].CopyTo(pending.OrderId);
        var now = Stopwatch.GetTimestamp();

        if (_authenticationFailed || Volatile.Read(ref _stopRequested) != 0 && now >= Volatile.Read(ref _stopDeadlineTicks))
        {
            ReportFailedUntracked(pending, _authenticationFailed ? CancelFailureReason.AuthenticationFailed : CancelFailureReason.Stopped);
            return;
        }

        if (!_states.TryBegin(PendingCancel.IdOf(in pending), now, out pending.State, out var alreadyInFlight))
        {
            ReportFailedUntracked(pending, CancelFailureReason.StateTableFull);
            return;
        }

        if (alreadyInFlight)
        {
            if (_joiners.TryAdd(pending.State.Index, pending.Tag))
            {
                _counters.OnCoalesced();
                _gate.Leave();
                return;
            }

            // Every joiner node is in use: this intent cannot wait on the other; it is refused as a duplicate.
            ReportFailedUntracked(pending, CancelFailureReason.StateTableFull);
            return;
        }

        if (now - pending.PublishTicks > _expiryTicks)
        {
            Finish(ref pending, Outcome.Expired);
            return;
        }

        if (CannotOutwaitHold(in pending, now))
        {
            FinishPastWindow(ref pending);
            return;
        }

        if (_waiting.Count > 0 || !TrySendNow(ref pending, now))
        {
            Wait(ref pending);
        }
    }

    /// <summary>Sends now if the limiter and the transport allow; false leaves the cancel to the caller to queue.</summary>
    private bool TrySendNow(ref PendingCancel pending, long now)
    {
        if (now - pending.PublishTicks > _expiryTicks || CannotOutwaitHold(in pending, now))
        {
            FinishPastWindow(ref pending);
            return true;
        }

        if (now < _sendsHeldUntilTicks || (!_credentialsProven && _counters.InFlight >= _settings.InFlightUntilKeyProven))
        {
            return false;
        }

        var entry = NextFreeEntry();
        if (entry is null || !_limiter.TryTake(now))
        {
            return false;
        }

        _ids.TryWriteNext(entry.RequestId, out var sequence);
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        CancelSigner.TryWriteTimestamp(nowMs, _timestamp, out _);
        var signature = _signer.GetSignature(nowMs);
        var body = _writer.Write(entry.RequestId, PendingCancel.IdOf(in pending), _symbols[pending.SymbolIndex], nowMs);

        // The entry goes live before the transport knows the token: once TrySend has registered the stream, a reader
        // thread may fail it (connection lost) before TrySend even returns, and that outcome must find the entry.
        entry.Cancel = pending;
        entry.Cancel.Attempt++;
        entry.HasFailure = false;
        entry.SentTicks = 0;
        Volatile.Write(ref entry.Token, sequence);
        var result = _sender.TrySend(_template, _timestamp, signature, body, sequence);
        if (result != Http2SendResult.Sent)
        {
            // The request id is spent (ids are never reused); the cancel waits for capacity.
            Volatile.Write(ref entry.Token, InFlightEntry.FreeToken);
            return false;
        }

        if (!pending.WasSent)
        {
            _states.TryTransition(pending.State, CancelState.Queued, CancelState.Sent, now);
            _gate.Leave();
        }

        var isRetry = pending.WasSent;
        pending.Attempt++;
        _counters.OnRequest(isRetry);
        _sentThisBatch[_sentThisBatchCount++] = entry;
        return true;
    }

    /// <summary>
    /// The in-flight entry of the next request id, skipping ids whose entry is still taken: a stream that stays
    /// unanswered until its timeout must not hold up every send once the sequence has gone round the table. Null only
    /// when a bounded look-ahead finds every entry busy (far more requests in flight than the transport allows).
    /// </summary>
    private InFlightEntry? NextFreeEntry()
    {
        for (var probe = 0; probe < MaxInFlightProbes; probe++)
        {
            var entry = _inFlight[_ids.NextSequence & _inFlightMask];
            if (Volatile.Read(ref entry.Token) == InFlightEntry.FreeToken)
            {
                return entry;
            }

            _ids.Skip();
        }

        return null;
    }

    /// <summary>
    /// True while sends are held (a retry-after) until after <paramref name="pending"/> leaves the venue's window:
    /// it could only go stale waiting, so it is decided now instead of at the end of the hold.
    /// </summary>
    private bool CannotOutwaitHold(in PendingCancel pending, long now) =>
        now < _sendsHeldUntilTicks && _sendsHeldUntilTicks - pending.PublishTicks > _expiryTicks;

    /// <summary>Ends a cancel that ran out of window: Expired if it never went out, else Failed with why it went again.</summary>
    private void FinishPastWindow(ref PendingCancel pending) =>
        Finish(ref pending, pending.WasSent ? Outcome.Failed(pending.LastFailure) : Outcome.Expired);

    private void Wait(ref PendingCancel pending)
    {
        if (!_waiting.TryEnqueue(pending))
        {
            // Sized to hold a full ring plus every request in flight, so this is a bug, not load.
            Finish(ref pending, Outcome.Failed(CancelFailureReason.StateTableFull));
        }
    }

    /// <summary>The end of a batch: what waits is sent if it may be, the batch is flushed, housekeeping runs.</summary>
    public void EndOfBatch()
    {
        var now = Stopwatch.GetTimestamp();
        if (_backoff.Count > 0)
        {
            _backoff.MoveDue(now, _waiting);
        }

        while (_waiting.Count > 0)
        {
            ref var next = ref _waiting.Peek();
            var copy = next;
            if (!TrySendNow(ref copy, now))
            {
                break;
            }

            _waiting.Dequeue();
        }

        if (_sentThisBatchCount > 0)
        {
            // The moment the batch is handed to the socket: tick-to-wire ends here, the round trip starts here.
            var wire = Stopwatch.GetTimestamp();
            _sender.Flush();
            for (var i = 0; i < _sentThisBatchCount; i++)
            {
                var entry = _sentThisBatch[i]!;
                entry.SentTicks = wire;
                if (entry.Cancel.Attempt == 1)
                {
                    var ticks = wire - entry.Cancel.PublishTicks;
                    TickToWire.RecordStopwatchTicks(ticks);
                    _counters.RecordTickToWire(ticks * 1_000_000.0 / Stopwatch.Frequency);
                }

                _sentThisBatch[i] = null;
            }

            _sentThisBatchCount = 0;
        }

        // Keep the next millisecond's signature ready so the next cancel finds it cached.
        _signer.PrepareAhead(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1);

        SweepDueSlice(now);

        if (Volatile.Read(ref _stopRequested) != 0)
        {
            CheckStop(now);
        }
    }

    /// <summary>Sweeps the slots the lap's pace has made due since the last slice, within the slice bounds.</summary>
    private void SweepDueSlice(long now)
    {
        var due = (now - _sweptUpToTicks) * _sweepSlotsPerTick;
        if (due < _minSweepSlice)
        {
            return;
        }

        var slice = (int)Math.Min(due, MaxSweepSlice);
        _states.SweepSlice(now, slice);

        // What the cap left undone is owed to the next slices, but never more than one lap: a consumer stalled for
        // minutes need not sweep the table many times over to catch up.
        _sweptUpToTicks = Math.Max(_sweptUpToTicks + (long)(slice / _sweepSlotsPerTick), now - _sweepLapTicks);
    }

    private void DrainOverflowCompletions()
    {
        while (_overflowCompletions.TryDequeue(out var token))
        {
            OnCompletion(token);
        }
    }

    private void CheckStop(long now)
    {
        var busy = _waiting.Count > 0 || _backoff.Count > 0 || _counters.Snapshot().InFlight > 0;
        if (busy && now < Volatile.Read(ref _stopDeadlineTicks))
        {
            return;
        }

        FailEverything(CancelFailureReason.Stopped);

        // Intents admitted before the stop may still be on their way into the ring (the engine refuses new ones once
        // stopping, and the gate counts the admitted ones until decided): wait for them here, so that each gets its
        // outcome on this thread rather than being stranded in a halted ring.
        if (_gate.Unsent > 0)
        {
            return;
        }

        _drained?.TrySetResult();
    }

    /// <summary>Fails every cancel not yet decided (waiting, backing off, in flight) with <paramref name="reason"/>.</summary>
    internal void FailEverything(CancelFailureReason reason)
    {
        _backoff.DrainTo(_waiting, item => Finish(ref item, Outcome.Failed(reason)));
        while (_waiting.Count > 0)
        {
            var item = _waiting.Peek();
            _waiting.Dequeue();
            Finish(ref item, Outcome.Failed(reason));
        }

        foreach (var entry in _inFlight)
        {
            if (Volatile.Read(ref entry.Token) != InFlightEntry.FreeToken)
            {
                var cancel = entry.Cancel;
                Volatile.Write(ref entry.Token, InFlightEntry.FreeToken);
                _counters.OnRequestDone();
                Finish(ref cancel, Outcome.Failed(reason));
            }
        }
    }

    public void Dispose()
    {
        _signer.Dispose();
        _writer.Dispose();
    }

}
