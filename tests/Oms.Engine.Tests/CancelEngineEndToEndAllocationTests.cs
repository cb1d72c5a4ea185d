namespace Oms.Engine.Tests;

/// <summary>
/// End to end over real HTTP/2 against the venue simulator: after warm-up, cancels allocate nothing on the strategy
/// thread that publishes them, on the consumer thread, or on the thread that parses the answers (the connection's reader
/// thread, or the consumer itself when it reads its connections).
/// </summary>
/// <remarks>
/// Each thread is measured over several windows of 10,000 cancels and the least window must be 0 bytes: a path that
/// allocates per cancel does so in every window, while the runtime's one-off work on a thread lands in one at most.
/// The venue runs in this process on Kestrel's own threads, whose allocations are not counted.
/// </remarks>
public sealed class CancelEngineEndToEndAllocationTests
{
    private const int WarmUp = 20_000;
    private const int PerWindow = 10_000;
    private const int Windows = 3;
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(90);

    /// <param name="readOnConsumer">
    /// True to have the consumer read the answers itself (<see cref="CancelEngineSettings.ReadOnConsumer"/>, where the
    /// platform has the poller): the reader's windows are then counted on the consumer thread, through the poller's path.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TryCancel_SteadyStateOverHttp2_AllocatesNothingOnThePublisherTheConsumerOrTheReader(bool readOnConsumer)
    {
        const int total = WarmUp + (Windows * PerWindow);
        await using var venue = await VenueServer.StartAsync(new VenueOptions { MaxConcurrentStreams = 100 });
        var orderIds = venue.Book.SeedGenerated(total, "BTC-PERP").ToArray();
        var consumer = new WindowSampler(WarmUp, PerWindow, Windows);
        var reader = new WindowSampler(WarmUp, PerWindow, Windows);
        var listener = new SamplingListener(consumer);
        var settings = new CancelEngineSettings
        {
            BaseUrl = venue.BaseUri,
            AccountGroup = venue.Credentials.AccountGroup,
            RateLimitPerSecond = 0,
            WaitStrategy = WaitStrategyKind.Blocking,
            ReadOnConsumer = readOnConsumer,
            RingSize = 4096,
            Connections = 1,
            OrderStateCapacity = 131_072,

            // The reader's windows count answers: one per cancel, so one request per cancel.
            BatchCancel = BatchCancelMode.Off,
        };
        var engine = await CancelEngine.StartObservedAsync(
            settings,
            new ApiCredentials(venue.Credentials.ApiKey, venue.Credentials.ApiSecret),
            listener,
            inner => new SamplingResponses(inner, reader),
            CancellationToken.None).WaitAsync(s_bound);
        var publisherBytes = new long[Windows];
        var refusals = 0;
        try
        {
            var publisher = new Thread(() =>
            {
                for (var i = 0; i < WarmUp; i++)
                {
                    refusals += engine.TryCancel(orderIds[i], "BTC-PERP", i, s_bound, out _) ? 0 : 1;
                }

                for (var window = 0; window < Windows; window++)
                {
                    var first = WarmUp + (window * PerWindow);
                    SpinWait.SpinUntil(() => listener.Outcomes >= first, s_bound);
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var i = first; i < first + PerWindow; i++)
                    {
                        refusals += engine.TryCancel(orderIds[i].AsSpan(), "BTC-PERP", i, s_bound, out _) ? 0 : 1;
                    }

                    publisherBytes[window] = GC.GetAllocatedBytesForCurrentThread() - before;
                }
            })
            { Name = "strategy", IsBackground = true };
            publisher.Start();
            Assert.True(publisher.Join(s_bound), "The publishing thread did not finish.");
            var deadline = DateTime.UtcNow + s_bound;
            while (listener.Outcomes < total && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
        finally
        {
            await engine.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(s_bound);
        }

        Assert.Equal(0, refusals);
        Assert.Equal(total, listener.Acked);
        Assert.True(publisherBytes.Min() == 0, "Publisher bytes per window: " + string.Join(", ", publisherBytes));
        var consumerBytes = consumer.BytesPerWindow();
        Assert.True(consumerBytes.Min() == 0, "Consumer bytes per window: " + string.Join(", ", consumerBytes));
        var readerBytes = reader.BytesPerWindow();
        Assert.True(readerBytes.Min() == 0, "Reader bytes per window: " + string.Join(", ", readerBytes));
    }

    /// <summary>Counts answers on the thread that reads the connection (one connection: one reader) and passes them on.</summary>
    private sealed class SamplingResponses(IHttp2ResponseHandler inner, WindowSampler sampler) : IHttp2ResponseHandler
    {
        private long _responses;

        public void OnResponse(long token, in Http2ResponseHead head, ReadOnlySpan<byte> body)
        {
            inner.OnResponse(token, head, body);
            sampler.OnEvent(++_responses);
        }

        public void OnFailure(long token, Http2StreamFailure failure) => inner.OnFailure(token, failure);
    }
}
