namespace Oms.Engine.Tests.Support;

/// <summary>An engine on real HTTP/2 against the venue simulator, and the bookkeeping the invariants need.</summary>
/// <remarks>Dispose stops the engine (if a test did not) and the venue, both within bounds.</remarks>
internal sealed class VenueRun : IAsyncDisposable
{
    public const string Symbol = "BTC-PERP";

    private readonly Dictionary<long, string> _orderIds = [];
    private readonly VenueOptions _venueOptions;
    private readonly Lock _gate = new();
    private long _nextTag;
    private long _refused;

    private VenueRun(VenueOptions venueOptions, VenueServer venue, CancelEngine engine, RecordingListener listener)
    {
        _venueOptions = venueOptions;
        Venue = venue;
        Engine = engine;
        Listener = listener;
    }

    /// <summary>The venue the engine talks to now (a new one after <see cref="RestartVenueAsync"/>, with the same book and counters).</summary>
    public VenueServer Venue { get; private set; }

    public CancelEngine Engine { get; }

    public RecordingListener Listener { get; }

    /// <summary>The order id of every accepted tag.</summary>
    public IReadOnlyDictionary<long, string> OrderIds
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<long, string>(_orderIds);
            }
        }
    }

    /// <summary>TryCancel calls refused so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Settings for an engine against <paramref name="venue"/>: no rate limit, short back-off, blocking consumer.</summary>
    public static CancelEngineSettings SettingsFor(VenueServer venue) => new()
    {
        BaseUrl = venue.BaseUri,
        AccountGroup = venue.Credentials.AccountGroup,
        RateLimitPerSecond = 0,
        WaitStrategy = WaitStrategyKind.Blocking,
        RingSize = 1024,
        OrderStateCapacity = 16_384,
        RetryBackoff = TimeSpan.FromMilliseconds(10),
        RetryAttempts = 5,

        // Outcomes only, one request per cancel: the fate and batch tests against the venue turn those on.
        Confirmation = new() { Enabled = false },
        BatchCancel = BatchCancelMode.Off,
    };

    /// <summary>Starts a venue and an engine connected to it.</summary>
    /// <param name="options">The venue's options (faults included).</param>
    /// <param name="configure">Adjusts the engine settings from <see cref="SettingsFor"/>.</param>
    /// <param name="credentials">Makes the engine's credentials from the started venue; the venue's own when null.</param>
    public static async Task<VenueRun> StartAsync(VenueOptions options, Func<CancelEngineSettings, CancelEngineSettings>? configure = null, Func<VenueServer, ApiCredentials>? credentials = null)
    {
        var venue = await VenueServer.StartAsync(options);
        try
        {
            var settings = SettingsFor(venue);
            settings = configure?.Invoke(settings) ?? settings;
            var listener = new RecordingListener();
            var apiCredentials = credentials?.Invoke(venue) ?? new ApiCredentials(venue.Credentials.ApiKey, venue.Credentials.ApiSecret);
            var engine = await CancelEngine.StartAsync(settings, apiCredentials, listener).WaitAsync(FakeEngine.Bound);
            return new VenueRun(options, venue, engine, listener);
        }
        catch
        {
            await venue.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the venue, every connection with it, and after <paramref name="downtime"/> starts another on the same port
    /// with the same credentials, faults, book and counters: the exchange's gateway restarted, its state kept.
    /// </summary>
    /// <remarks>The first venue listened on port 0, so the port is one the system gave it; it is rebound at once, and
    /// again for a short while should the system not have released it yet.</remarks>
    public async Task RestartVenueAsync(TimeSpan downtime)
    {
        var stopped = Venue;
        await stopped.DisposeAsync().AsTask().WaitAsync(FakeEngine.Bound);
        await Task.Delay(downtime);
        var options = new VenueOptions
        {
            BindAddress = _venueOptions.BindAddress,
            Port = stopped.Port,
            Credentials = stopped.Credentials,
            MaxConcurrentStreams = _venueOptions.MaxConcurrentStreams,
            Faults = stopped.Faults,
            Seed = _venueOptions.Seed,
            Book = stopped.Book,
            Stats = stopped.Stats,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Venue = await VenueServer.StartAsync(options).WaitAsync(FakeEngine.Bound);
                return;
            }
            catch (IOException) when (clock.Elapsed < FakeEngine.Bound)
            {
                // Kestrel reports a port still in use as an IOException: try again shortly.
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Seeds open orders in the venue's book.</summary>
    public IReadOnlyList<string> Seed(int count) => Venue.Book.SeedGenerated(count, Symbol);

    /// <summary>Hands one cancel to the engine; on acceptance, records its tag and order id.</summary>
    /// <returns>The tag, or -1 when refused.</returns>
    public long TryCancel(string orderId, TimeSpan waitForSpace = default)
    {
        var tag = Interlocked.Increment(ref _nextTag);
        lock (_gate)
        {
            // Recorded before the call: the outcome may arrive before TryCancel returns.
            _orderIds[tag] = orderId;
        }

        if (Engine.TryCancel(orderId, Symbol, tag, waitForSpace, out _))
        {
            return tag;
        }

        lock (_gate)
        {
            _orderIds.Remove(tag);
        }

        Interlocked.Increment(ref _refused);
        return -1;
    }

    /// <summary>Cancels every order, waiting for ring space up to the bound each; fails the test on a refusal.</summary>
    public void CancelAll(IEnumerable<string> orderIds)
    {
        foreach (var orderId in orderIds)
        {
            Assert.True(TryCancel(orderId, FakeEngine.Bound) > 0, $"Refused: {orderId}; counters {Engine.GetCounters()}");
        }
    }

    /// <summary>Waits for an outcome for every accepted tag.</summary>
    public async Task WaitForOutcomesAsync(TimeSpan? bound = null)
    {
        var expected = OrderIds.Count;
        await Listener.WaitForAsync(expected, bound ?? TimeSpan.FromSeconds(60));
        Assert.True(Listener.Count >= expected, $"{Listener.Count} of {expected} outcomes; counters {Engine.GetCounters()}; {Listener.Summary()}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Engine.DisposeAsync().AsTask().WaitAsync(FakeEngine.Bound);
        }
        finally
        {
            await Venue.DisposeAsync().AsTask().WaitAsync(FakeEngine.Bound);
        }
    }
}
