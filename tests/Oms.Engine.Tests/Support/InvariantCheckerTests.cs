using System.Net;
using Oms.Engine.Tests.Faults;

namespace Oms.Engine.Tests.Support;

/// <summary>The checker's leak check is an oracle: it must see what is left, and see nothing once all is gone.</summary>
[Collection(FaultCollection.Name)]
public sealed class InvariantCheckerTests
{
    private static readonly TimeSpan s_short = TimeSpan.FromMilliseconds(300);

    /// <remarks>
    /// With reader threads (<see cref="CancelEngineSettings.ReadOnConsumer"/> off, or where the consumer cannot read
    /// its sockets) the checker names them too; with the consumer reading, there are none to name.
    /// </remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FindLeaks_EngineStillRunning_NamesItsThreadsAndTheOpenConnections(bool readOnConsumer)
    {
        await using var run = await VenueRun.StartAsync(new VenueOptions(), s => s with { ReadOnConsumer = readOnConsumer });

        var leaks = await InvariantChecker.FindLeaksAsync(run.Engine, run.Venue, s_short);

        Assert.NotNull(leaks);
        Assert.Contains("oms-consumer", leaks, StringComparison.Ordinal);
        if (!readOnConsumer || !Oms.Transport.Connections.SocketPoller.IsSupported)
        {
            Assert.Contains("oms-h2-reader", leaks, StringComparison.Ordinal);
        }

        Assert.Contains($"still had {run.Engine.Settings.Connections} connections open", leaks, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindLeaks_EngineDisposed_NothingLeft()
    {
        // Reader threads that run until the dispose: handed-over ones end at connect, and may drop off the client's list.
        await using var run = await VenueRun.StartAsync(new VenueOptions(), s => s with { ReadOnConsumer = false });
        var readers = run.Engine.Client!.ReaderThreads;

        await run.Engine.DisposeAsync().AsTask().WaitAsync(FakeEngine.Bound);
        var leaks = await InvariantChecker.FindLeaksAsync(run.Engine, run.Venue, InvariantChecker.LeakBound);

        Assert.Null(leaks);
        Assert.Equal(run.Engine.Settings.Connections, readers.Count);
        Assert.All(readers, reader => Assert.False(reader.IsAlive));
    }

    [Fact]
    public async Task FindLeaks_AnotherClientHoldsAConnection_ReportsItThoughTheEngineIsGone()
    {
        await using var run = await VenueRun.StartAsync(new VenueOptions());
        using var other = new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var stats = await other.GetAsync(new Uri(run.Venue.BaseUri, "/stats"));

        await run.Engine.DisposeAsync().AsTask().WaitAsync(FakeEngine.Bound);
        var leaks = await InvariantChecker.FindLeaksAsync(run.Engine, run.Venue, s_short);

        Assert.NotNull(leaks);
        Assert.Contains("still had 1 connections open and 0 of the engine's threads were alive", leaks, StringComparison.Ordinal);
    }
}
