using System.Numerics;
using Oms.Engine.Platform;
using Oms.Engine.Signing;
using Oms.Transport.Connections;
using Oms.Transport.Diagnostics;

namespace Oms.Engine;

/// <summary>
/// Cancels orders on AscendEX futures as fast as the wire allows: strategies hand it intents from any thread, one
/// consumer thread signs and sends them over persistent HTTP/2 connections, and a listener hears every outcome.
/// </summary>
/// <remarks>
/// <para>One engine per account. Build it with <see cref="StartAsync"/>, stop it with <see cref="StopAsync"/>.</para>
/// <para>Strategy threads call <see cref="TryCancel(ReadOnlySpan{char}, ReadOnlySpan{char}, long, out CancelRefusal)"/>:
/// it never blocks, never allocates, never takes a lock and never throws for expected refusals (ring full, engine
/// stopped, bad input). <see cref="GetCancelState(ReadOnlySpan{char})"/> and <see cref="GetCounters"/> are lock-free from any thread.
/// The listener runs on the engine's consumer thread (<c>oms-consumer</c>).</para>
/// </remarks>
public sealed partial class CancelEngine : IAsyncDisposable
{
    private const int Running = 1;
    private const int Stopping = 2;
    private const int Stopped = 3;
    private static readonly TimeSpan s_idleTimeout = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan s_threadStopTimeout = TimeSpan.FromSeconds(5);

    private readonly CancelEngineSettings _settings;
    private readonly CancelConsumer _consumer;
    private readonly IConsumerRing _ring;
    private readonly SymbolTable _symbols;
    private readonly EngineCounters _counters;
    private readonly AdmissionGate _gate;
    private readonly Http2Client? _client;
    private readonly SocketPoller? _poller;
    private readonly ApiCredentials _credentials;
    private readonly KillSwitch _killSwitch;
    private OrderStream? _stream;
    private int _state;

    // Built in the order the parts need each other, so nothing is wired after construction: the ring, gate, order
    // state, in-flight entries and completion sink first (Parts), then the transport around the sink, then the
    // consumer around the transport; the ring takes the consumer when it starts.
    private CancelEngine(
        Parts parts, ApiCredentials credentials, ICancelListener listener, IHttp2RequestSender sender, Http2Client? client)
    {
        _settings = parts.Settings;
        _ring = parts.Ring;
        _symbols = parts.Symbols;
        _counters = parts.Counters;
        _gate = parts.Gate;
        _client = client;
        _poller = parts.Poller;
        _credentials = credentials;
        _killSwitch = new KillSwitch(this, _counters);
        _consumer = new CancelConsumer(
            _settings, credentials, listener, _counters, _symbols, _gate, parts.States, parts.InFlight, sender, parts.Notes);
        if (client is not null && parts.Notes is { } notes)
        {
            // The venue's private order stream: order messages go to the consumer through the notes.
            _stream = new OrderStream(
                _settings.BaseUrl, _settings.AccountGroup, _settings.Profile, credentials, _settings.CaCertificatePath, _settings.Confirmation, notes);
            var stream = _stream;
            _counters.AttachStream(() => stream.Reconnects, () => stream.Messages, () => stream.ClockOffsetMillis);
        }
    }

    /// <summary>The settings the engine runs with.</summary>
    public CancelEngineSettings Settings => _settings;

    /// <summary>The transport's counters (meter <c>Oms.Transport</c>); null for an engine built on a substitute transport.</summary>
    public TransportCounters? TransportCounters => _client?.Counters;

    /// <summary>True between a successful start and the beginning of a stop.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <summary>HMAC computations so far: at most one per millisecond that carried a cancel (plus one ahead).</summary>
    public long SignatureComputations => _consumer.HmacComputations;

    /// <summary>Connects to the venue and starts the consumer thread.</summary>
    /// <param name="settings">Where and how.</param>
    /// <param name="credentials">The API key and secret (never logged).</param>
    /// <param name="listener">Hears every outcome, on the consumer thread.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    /// <exception cref="Http2ConnectException">No connection to the venue could be opened (unless <see cref="CancelEngineSettings.StartWithoutVenue"/>), or TLS trust failed.</exception>
    public static Task<CancelEngine> StartAsync(
        CancelEngineSettings settings, ApiCredentials credentials, ICancelListener listener, CancellationToken cancellationToken = default) =>
        StartObservedAsync(settings, credentials, listener, wrapResponses: null, cancellationToken);

    /// <summary>
    /// <see cref="StartAsync(CancelEngineSettings, ApiCredentials, ICancelListener, CancellationToken)"/>, with the
    /// transport's response callbacks passed through <paramref name="wrapResponses"/> first: tests observe the reader
    /// threads with it (what they allocate per answer), on the real transport.
    /// </summary>
    internal static async Task<CancelEngine> StartObservedAsync(
        CancelEngineSettings settings,
        ApiCredentials credentials,
        ICancelListener listener,
        Func<IHttp2ResponseHandler, IHttp2ResponseHandler>? wrapResponses,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(listener);
        var parts = new Parts(settings);
        Http2Client client;
        try
        {
            var handler = wrapResponses?.Invoke(parts.Completions) ?? parts.Completions;
            client = await Http2Client.ConnectAsync(settings.ToClientOptions() with { SocketPoller = parts.Poller }, handler, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The meter too: a meter is registered process-wide until disposed, and this engine will never run.
            parts.Counters.Dispose();
            parts.Poller?.Dispose();
            throw;
        }

        var engine = new CancelEngine(parts, credentials, listener, client, client);
        try
        {
            engine.Run();
        }
        catch
        {
            // Pinning the consumer failed (the CPU was withdrawn since the settings were checked): nothing started.
            await client.DisposeAsync().ConfigureAwait(false);
            if (engine._stream is { } stream)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            engine.Release();
            engine._counters.Dispose();
            throw;
        }

        return engine;
    }

    /// <summary>Starts an engine on a substitute transport (tests, benchmarks).</summary>
    internal static CancelEngine StartWith(
        CancelEngineSettings settings, ApiCredentials credentials, ICancelListener listener, Func<IHttp2ResponseHandler, IHttp2RequestSender> senderFactory)
    {
        var parts = new Parts(settings);
        var engine = new CancelEngine(parts, credentials, listener, senderFactory(parts.Completions), client: null);
        engine.Run();
        return engine;
    }

    /// <summary>Hands a cancel intent to the engine without waiting.</summary>
    /// <param name="orderId">The order id (v1: 32 letters and digits).</param>
    /// <param name="symbol">The symbol, e.g. <c>BTC-PERP</c>.</param>
    /// <param name="tag">The strategy's own reference, handed back with the outcome.</param>
    /// <param name="refusal">Why the intent was refused; <see cref="CancelRefusal.None"/> when accepted.</param>
    /// <returns>True when accepted: exactly one outcome will reach the listener.</returns>
    public bool TryCancel(ReadOnlySpan<char> orderId, ReadOnlySpan<char> symbol, long tag, out CancelRefusal refusal) =>
        TryPublish(orderId, symbol, tag, TimeSpan.Zero, out refusal);

    /// <summary>Hands a cancel intent to the engine without waiting.</summary>
    /// <param name="orderId">The order id; null is refused as empty.</param>
    /// <param name="symbol">The symbol; null is refused as empty.</param>
    /// <param name="tag">The strategy's own reference, handed back with the outcome.</param>
    /// <param name="refusal">Why the intent was refused; <see cref="CancelRefusal.None"/> when accepted.</param>
    /// <returns>True when accepted.</returns>
    public bool TryCancel(string? orderId, string? symbol, long tag, out CancelRefusal refusal) =>
        TryPublish(orderId.AsSpan(), symbol.AsSpan(), tag, TimeSpan.Zero, out refusal);

    /// <summary>Hands a cancel intent to the engine, waiting up to <paramref name="waitForSpace"/> for ring space.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="symbol">The symbol.</param>
    /// <param name="tag">The strategy's own reference.</param>
    /// <param name="waitForSpace">How long to wait while the ring is full.</param>
    /// <param name="refusal">Why the intent was refused.</param>
    /// <returns>True when accepted.</returns>
    public bool TryCancel(ReadOnlySpan<char> orderId, ReadOnlySpan<char> symbol, long tag, TimeSpan waitForSpace, out CancelRefusal refusal) =>
        TryPublish(orderId, symbol, tag, waitForSpace < TimeSpan.Zero ? TimeSpan.Zero : waitForSpace, out refusal);

    /// <summary>The state of the latest cancel of an order: lock-free, any thread.</summary>
    /// <param name="orderId">The order id.</param>
    /// <returns><see cref="CancelState.None"/> when the engine has no record of it (or it was recycled).</returns>
    public CancelState GetCancelState(ReadOnlySpan<char> orderId) => _consumer.States.GetState(orderId);

    /// <summary>The state of the latest cancel of an order and its order's fate, read together: lock-free, any thread.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="fate">
    /// <see cref="OrderFate.Pending"/> while the venue is asked, then the fate it gave; <see cref="OrderFate.None"/>
    /// while the cancel is in flight, when confirmation is off, or when the engine has no record of the order.
    /// </param>
    /// <returns><see cref="CancelState.None"/> when the engine has no record of it (or it was recycled).</returns>
    public CancelState GetCancelState(ReadOnlySpan<char> orderId, out OrderFate fate) => _consumer.States.GetState(orderId, out fate);

    /// <summary>The order-state table, for tests and diagnostics in this assembly's friends.</summary>
    internal CancelStateTable OrderStates => _consumer.States;

    /// <summary>Whether the consumer asks for its prompt idle tick (something waits on a clock), for tests.</summary>
    internal bool ConsumerNeedsPromptIdle => _consumer.IdleHint.NeedsPrompt;

    /// <summary>The consumer thread (<c>oms-consumer</c>), for tests that check it ends with the engine.</summary>
    internal Thread? ConsumerThread => _ring.ConsumerThread;

    /// <summary>The connection client; null for an engine on a substitute transport. For tests that check nothing outlives it.</summary>
    internal Http2Client? Client => _client;

    /// <summary>
    /// Stops: refuses new intents, lets the consumer finish what it has for up to <paramref name="drainTimeout"/>,
    /// then fails whatever is left with <see cref="CancelFailureReason.Stopped"/>, stops the thread and closes the
    /// connections. Every accepted intent has its outcome when this returns.
    /// </summary>
    /// <exception cref="TimeoutException">
    /// The consumer thread was still inside a listener call five seconds after the drain: the engine is stopped and
    /// disconnected all the same, and the outcomes still owed are reported on the consumer thread once that call returns.
    /// </exception>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        if (Interlocked.CompareExchange(ref _state, Stopping, Running) != Running)
        {
            return;
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(Math.Max(0, drainTimeout.TotalSeconds) * Stopwatch.Frequency);
        var drained = _consumer.RequestStop(deadline);
        await Task.WhenAny(drained, Task.Delay(drainTimeout + TimeSpan.FromSeconds(1))).ConfigureAwait(false);

        // The consumer thread finishes the stop itself (FinishOnConsumerThread) as it leaves its loop.
        var ended = _ring.Stop(ThreadStopTimeout);
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }

        Volatile.Write(ref _state, Stopped);
        if (ended)
        {
            // Only once the consumer has left: it is the one thread that waits in the poller.
            _poller?.Dispose();
        }
        else
        {
            throw new TimeoutException(
                $"The consumer thread did not stop within {ThreadStopTimeout.TotalSeconds:0.###} s: a listener call has not returned. "
                + "The engine is stopped and its connections are closed; the outcomes still owed (Failed, Stopped) are reported on the consumer thread when that call returns.");
        }
    }

    /// <summary>How long <see cref="StopAsync"/> waits for the consumer thread to end after the drain; tests shorten it.</summary>
    internal TimeSpan ThreadStopTimeout { get; set; } = s_threadStopTimeout;

    /// <summary>
    /// Runs on the consumer thread once it is halted: decides everything still owed (events left in the ring, cancels
    /// waiting or in flight) as Stopped, then releases the consumer. Nothing else ever touches the consumer's state
    /// after the thread has started, not even a stop whose thread is stuck in a listener call.
    /// </summary>
    private void FinishOnConsumerThread()
    {
        _ = _consumer.RequestStop(0);
        _ring.DrainRemaining(_consumer);
        _consumer.FailEverything(CancelFailureReason.Stopped);
        Release();
    }

    /// <summary>Stops with a five-second drain if still running, and releases everything.</summary>
    /// <exception cref="TimeoutException">The consumer thread is stuck in a listener call (see <see cref="StopAsync"/>).</exception>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        finally
        {
            _counters.Dispose();
        }
    }

    private void Run()
    {
        if (_settings.ConsumerCpu is { } cpu)
        {
            StartPinnedConsumer(cpu);
        }
        else
        {
            _ring.Start(_consumer, "oms-consumer", FinishOnConsumerThread);
        }

        Volatile.Write(ref _state, Running);

        // After the consumer: its first gap or live note finds the consumer there to read it.
        _stream?.Start();
    }

    // The consumer pins itself, first thing on its thread: the runtime gives every new thread the process's CPU set,
    // not its creator's. A refusal (the CPU was withdrawn since the settings were checked) stops it and fails the start.
    private void StartPinnedConsumer(int cpu)
    {
        Exception? refused = null;
        using var pinned = new ManualResetEventSlim();
        _ring.Start(_consumer, "oms-consumer", FinishOnConsumerThread, onStarted: () =>
        {
            try
            {
                CpuAffinity.SetCurrentThread([cpu]);
            }
            catch (InvalidOperationException e)
            {
                refused = e;
            }
            finally
            {
                pinned.Set();
            }
        });

        if (!pinned.Wait(ThreadStopTimeout))
        {
            refused = new TimeoutException($"The consumer thread did not start within {ThreadStopTimeout.TotalSeconds:0.###} s.");
        }

        if (refused is not null)
        {
            _ring.Stop(ThreadStopTimeout);
            throw new InvalidOperationException($"The consumer could not be pinned to CPU {cpu}: {refused.Message}", refused);
        }
    }

    private void Release() => _consumer.Dispose();

    private bool TryPublish(ReadOnlySpan<char> orderId, ReadOnlySpan<char> symbol, long tag, TimeSpan wait, out CancelRefusal refusal)
    {
        if (Volatile.Read(ref _state) != Running)
        {
            return Refuse(CancelRefusal.EngineStopped, out refusal);
        }

        if (_counters.AuthenticationFailed)
        {
            return Refuse(CancelRefusal.AuthenticationFailed, out refusal);
        }

        if (!_settings.Profile.TryValidate(orderId, symbol, out refusal))
        {
            return Refuse(refusal, out refusal);
        }

        if (!_symbols.TryGetOrAdd(symbol, out var symbolIndex))
        {
            return Refuse(CancelRefusal.TooManySymbols, out refusal);
        }

        // The profile accepted the id, so it is ASCII and no longer than any profile allows: it cannot fail here.
        OrderId.TryFromAscii(orderId, out var id);

        if (!EnterGate(wait))
        {
            return Refuse(CancelRefusal.RingFull, out refusal);
        }

        // Read again after the gate's interlocked increment: StopAsync changes the state before the consumer reads the
        // gate, so either this call sees the stop and backs out, or the consumer sees this intent and waits for it.
        if (Volatile.Read(ref _state) != Running)
        {
            _gate.Leave();
            return Refuse(CancelRefusal.EngineStopped, out refusal);
        }

        // Counted before the publish so a fast outcome can never be counted ahead of its intent.
        _counters.OnIntent();
        if (!_ring.TryPublishIntent(in id, symbolIndex, tag, Stopwatch.GetTimestamp(), wait))
        {
            _counters.OnIntentWithdrawn();
            _gate.Leave();
            return Refuse(CancelRefusal.RingFull, out refusal);
        }

        refusal = CancelRefusal.None;
        return true;
    }

    private bool EnterGate(TimeSpan wait)
    {
        if (_gate.TryEnter())
        {
            return true;
        }

        if (wait == TimeSpan.Zero)
        {
            return false;
        }

        // The blocking variant: wait for the consumer to send something, politely, until the deadline.
        var deadline = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        var spinner = default(SpinWait);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            spinner.SpinOnce(sleep1Threshold: 30);
            if (_gate.TryEnter())
            {
                return true;
            }

            if (Volatile.Read(ref _state) != Running)
            {
                return false;
            }
        }

        return false;
    }

    private bool Refuse(CancelRefusal reason, out CancelRefusal refusal)
    {
        _counters.OnRefusal(reason);
        refusal = reason;
        return false;
    }

    private sealed class RingFactory(int size) : IWaitStrategyVisitor<IConsumerRing>
    {
        public IConsumerRing Visit<TWait>(TWait waitStrategy)
            where TWait : struct, IWaitStrategy => new ConsumerRing<TWait>(size, waitStrategy, s_idleTimeout);
    }

    /// <summary>What an engine is made of before its transport exists: the transport is built around <see cref="Completions"/>.</summary>
    private sealed class Parts
    {
        public Parts(CancelEngineSettings settings)
        {
            settings.Validate();
            Settings = settings;
            InFlight = InFlightEntry.NewTable((int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1024, settings.Connections * 2048)));
            Gate = new AdmissionGate(settings.RingSize);
            States = new CancelStateTable(settings.OrderStateCapacity, (long)(settings.OrderStateRetention.TotalSeconds * Stopwatch.Frequency));

            // Room for every admitted intent and one completion per in-flight entry: a completion is never refused.
            // And room for the order messages on their way from the stream (their own gate): the stream never takes an
            // intent's or a completion's room.
            var streaming = settings.Confirmation is { Enabled: true, UseStream: true };
            var notes = streaming ? StreamNotes.Capacity : 0;
            Poller = settings.ReadOnConsumer && SocketPoller.IsSupported && settings.WaitStrategy is WaitStrategyKind.SpinThenPark or WaitStrategyKind.Blocking
                ? new SocketPoller()
                : null;
            var ring = Ring = WaitStrategyFactory.Create(
                settings.WaitStrategy, settings.WaitSpin, Poller, new RingFactory(IConsumerRing.SizeFor(Gate.Capacity + notes, InFlight.Length)));
            var states = States;
            Counters = new EngineCounters(() => ring.Occupancy, () => states.Count);
            Completions = new CompletionSink(InFlight, new CancelResponseParser(settings.Profile), ring);
            Notes = streaming ? new StreamNotes(ring, new AdmissionGate(notes), Counters) : null;
        }

        /// <summary>Where the consumer sleeps and reads its connections (<see cref="CancelEngineSettings.ReadOnConsumer"/>); null when reader threads read them.</summary>
        public SocketPoller? Poller { get; }

        /// <summary>The order stream's way into the ring; null when fates are not confirmed by the stream.</summary>
        public StreamNotes? Notes { get; }

        public CancelEngineSettings Settings { get; }

        public InFlightEntry[] InFlight { get; }

        public AdmissionGate Gate { get; }

        public CancelStateTable States { get; }

        public IConsumerRing Ring { get; }

        public SymbolTable Symbols { get; } = new(SymbolTable.DefaultCapacity);

        public EngineCounters Counters { get; }

        public CompletionSink Completions { get; }
    }
}
