using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Oms.Extensions.Hosting.Alarms;
using Oms.Extensions.Hosting.Configuration;

namespace Oms.Extensions.Hosting;

/// <summary>
/// The cancel engine as a hosted service: started (connected) when the host starts, stopped and drained when the host
/// stops, its alarms logged while it runs. Resolve it from the container to reach <see cref="Engine"/>.
/// </summary>
/// <remarks>
/// <para>
/// Hosted services are all built before any starts, so a strategy cannot take the engine itself in its constructor: it
/// takes this, and reads <see cref="Engine"/> once the host has started, or awaits <see cref="WaitForStartAsync"/> at
/// the top of its <c>ExecuteAsync</c>. Register the engine (<c>AddCancelEngine</c>) before the strategies: the host
/// starts services in registration order and stops them in reverse, so strategies stop sending before the engine drains.
/// </para>
/// <para>
/// The engine's listener is the <see cref="ICancelListener"/> registered in the container, if any. The credentials are
/// read once, at start, and never logged.
/// </para>
/// </remarks>
public sealed class HostedCancelEngine : IHostedService, IAsyncDisposable
{
    private readonly IOptions<CancelEngineOptions> _options;
    private readonly CredentialSource _credentials;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<CancelEngine> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _watching = new();
    private CancelEngine? _engine;
    private EngineAlarms? _alarms;
    private Task _watch = Task.CompletedTask;
    private int _disposed;

    internal HostedCancelEngine(IOptions<CancelEngineOptions> options, CredentialSource credentials, IServiceProvider services, ILogger<HostedCancelEngine> logger)
    {
        _options = options;
        _credentials = credentials;
        _services = services;
        _logger = logger;
    }

    /// <summary>The running engine: <c>TryCancel</c>, state, counters, the kill switch.</summary>
    /// <exception cref="InvalidOperationException">The host has not started the engine yet (or could not).</exception>
    public CancelEngine Engine => Volatile.Read(ref _engine)
        ?? throw new InvalidOperationException("The cancel engine starts with the host: read Engine once the host has started, or await WaitForStartAsync.");

    /// <summary>True once the engine has started (it stays true after the host stops it).</summary>
    public bool IsStarted => Volatile.Read(ref _engine) is not null;

    /// <summary>Completes with the engine once the host has started it; faults if it could not start.</summary>
    /// <param name="cancellationToken">Stops waiting (a strategy's stopping token).</param>
    public Task<CancelEngine> WaitForStartAsync(CancellationToken cancellationToken = default) => _started.Task.WaitAsync(cancellationToken);

    /// <summary>Connects to the venue and starts the engine; a failure is logged (<see cref="CancelEngineEventIds.StartFailed"/>) and fails the host's start.</summary>
    /// <param name="cancellationToken">Abandons connecting (the host's start was cancelled).</param>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Validated already when the host started (ValidateOnStart); reading Value again throws the same errors otherwise.
        var options = _options.Value;
        var settings = options.Settings!;
        CancelEngine engine;
        try
        {
            var credentials = await _credentials.GetAsync(_services, cancellationToken).ConfigureAwait(false);
            var listener = _services.GetService<ICancelListener>() ?? new SilentListener();
            engine = await CancelEngine.StartAsync(settings, credentials, listener, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.StartFailed(_logger, settings.BaseUrl, e);
            _started.TrySetException(e);
            throw;
        }

        _alarms = new EngineAlarms(_logger, EngineObservation.Of(engine));
        Volatile.Write(ref _engine, engine);
        Log.Started(_logger, settings.BaseUrl, settings.AccountGroup, settings.Connections, settings.Profile.Name);
        _watch = WatchAsync(engine, _alarms, options.AlarmInterval, _watching.Token);
        _started.TrySetResult(engine);
    }

    /// <summary>
    /// Stops the engine: refuses new intents, drains for up to <see cref="CancelEngineOptions.DrainTimeout"/>, fails the
    /// rest as Stopped and closes the connections. Gives up waiting when the host's shutdown timeout passes.
    /// </summary>
    /// <param name="cancellationToken">Cancelled by the host when its shutdown timeout has passed.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var engine = Volatile.Read(ref _engine);
        if (engine is null)
        {
            _started.TrySetCanceled(CancellationToken.None);
            return;
        }

        await _watching.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(false);

        // What changed since the last tick is still reported, before the stop itself changes everything.
        _alarms?.Observe(EngineObservation.Of(engine));
        try
        {
            await engine.StopAsync(_options.Value.DrainTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            Log.StopIncomplete(_logger, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.StopIncomplete(_logger, "the host's shutdown timeout passed while the engine drained; it goes on stopping in the background");
            return;
        }

        var counters = engine.GetCounters();
        Log.Stopped(_logger, counters.Intents, counters.Acked, counters.Rejected, counters.Failed, counters.Expired);
    }

    /// <summary>Stops the engine if the host did not, and releases it (its meters too). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        // The container disposes this once for each registration that hands it out (itself, the hosted service).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _watching.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(false);
        _watching.Dispose();
        if (Volatile.Read(ref _engine) is { } engine)
        {
            try
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                Log.StopIncomplete(_logger, e.Message);
            }
        }
    }

    // Off the engine's threads: reads counters only, so a slow logger never holds a cancel.
    private static async Task WatchAsync(CancelEngine engine, EngineAlarms alarms, TimeSpan interval, CancellationToken token)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                alarms.Observe(EngineObservation.Of(engine));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The listener when the application registers none: outcomes are in the counters and the state table.</summary>
    private sealed class SilentListener : ICancelListener
    {
        public void OnAcked(long tag, ReadOnlySpan<byte> orderId)
        {
        }

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message)
        {
        }

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail)
        {
        }

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId)
        {
        }
    }
}
