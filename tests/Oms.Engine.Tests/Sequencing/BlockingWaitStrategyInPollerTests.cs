using Oms.Testing.Polling;
using Oms.Transport.Connections;

namespace Oms.Engine.Tests.Sequencing;

/// <summary>
/// The blocking strategy parking in a socket poller: the contract, and what parking there adds. A producer's wake-up
/// goes through the poller's descriptor and only while the consumer sleeps, and the consumer reads the sockets that
/// become readable (while it sleeps, and now and then while it is busy) on its own thread.
/// </summary>
[Collection(TestThreads.Collection)]
public sealed class BlockingWaitStrategyInPollerTests : PollerWaitStrategyContractTests
{
    private const int RingSize = 64;

    [SocketPollerFact]
    public void WaitFor_PublishedFromAnotherThreadWhileParked_TheProducersWakeUpEndsTheSleep()
    {
        // Arrange
        var strategy = new BlockingWaitStrategy(Poller);
        var sequencer = new MultiProducerSequencer<BlockingWaitStrategy>(RingSize, strategy);
        SequenceBarrier barrier = sequencer.NewBarrier();
        long result = long.MaxValue;
        var waiter = StartWaiter(() => result = strategy.WaitFor(0, barrier, Timeout.InfiniteTimeSpan));
        TestThreads.WaitUntil(() => strategy.Parks == 1, "the waiter parked");

        // Act: give the waiter a moment to fall asleep in the poller; correctness does not depend on it.
        Thread.Sleep(20);
        var publisher = TestThreads.StartNew("publisher", () =>
        {
            Assert.True(sequencer.TryNext(out long sequence));
            sequencer.Publish(sequence);
        });
        TestThreads.Join(publisher);
        var returned = JoinOrRescue(waiter);

        // Assert: an infinite wait with nothing halted ends only when the publish wakes it.
        Assert.True(returned, "the parked waiter did not wake when a producer published");
        Assert.Equal(0, result);
        Assert.False(strategy.ParksOnFutex);
    }

    [SocketPollerFact]
    public void WaitFor_SocketReadableWhileParked_RunsItsReaderOnTheWaitingThreadAndWaitsOn()
    {
        // Arrange
        using var pair = LoopbackSocketPair.Connect();
        var reader = new RecordingPolledReader(pair.LocalDescriptor);
        Poller.Register(pair.LocalDescriptor, reader);
        var strategy = new BlockingWaitStrategy(Poller);
        var sequencer = new MultiProducerSequencer<BlockingWaitStrategy>(RingSize, strategy);
        SequenceBarrier barrier = sequencer.NewBarrier();
        long result = long.MaxValue;
        var waiter = StartWaiter(() => result = strategy.WaitFor(0, barrier, Timeout.InfiniteTimeSpan));
        TestThreads.WaitUntil(() => strategy.Parks == 1, "the waiter parked");

        // Act
        // Not PeerSends: the parked waiter may read the bytes before a check that they arrived could see them.
        pair.Peer.Send("answer"u8);
        TestThreads.WaitUntil(() => reader.Calls >= 1, "the parked waiter read the socket");
        var stillWaiting = waiter.IsAlive;
        Assert.True(sequencer.TryNext(out long sequence));
        sequencer.Publish(sequence);
        var returned = JoinOrRescue(waiter);

        // Assert: an answer is not an event of the ring; the wait goes on until one is published.
        Assert.True(stillWaiting, "the waiter returned although nothing was published");
        Assert.True(returned);
        Assert.Equal(0, result);
        Assert.Equal(waiter.ManagedThreadId, reader.LastThreadId);
        Assert.Equal("answer"u8.ToArray(), reader.Received);
    }

    [SocketPollerFact]
    public void WaitFor_AlreadyPublishedWithAnAnswerWaiting_ReadsItBeforeReturning()
    {
        // Arrange: a busy consumer never parks; it looks at its sockets when a look is due, and the first one is.
        using var pair = LoopbackSocketPair.Connect();
        var reader = new RecordingPolledReader(pair.LocalDescriptor);
        Poller.Register(pair.LocalDescriptor, reader);
        var strategy = new BlockingWaitStrategy(Poller);
        var sequencer = new MultiProducerSequencer<BlockingWaitStrategy>(RingSize, strategy);
        SequenceBarrier barrier = sequencer.NewBarrier();
        Assert.True(sequencer.TryNext(out long sequence));
        sequencer.Publish(sequence);
        pair.PeerSends("busy"u8);

        // Act
        long result = strategy.WaitFor(0, barrier, Timeout.InfiniteTimeSpan);

        // Assert
        Assert.Equal(0, result);
        Assert.Equal(0, strategy.Parks);
        Assert.Equal(1, reader.Calls);
        Assert.Equal(Environment.CurrentManagedThreadId, reader.LastThreadId);
        Assert.Equal("busy"u8.ToArray(), reader.Received);
    }

    [SocketPollerFact]
    public void SignalAllWhenBlocking_ConsumerNotParked_WritesNoWakeUp()
    {
        // Arrange
        var strategy = new BlockingWaitStrategy(Poller);

        // Act: the producers' side of a publish while the consumer is busy.
        strategy.SignalAllWhenBlocking();

        // Assert: a wake-up is one system call on the producer's path, owed only to a sleeping consumer.
        Assert.Equal(0, Poller.WaitForEvents(0));
    }

    [SocketPollerFact]
    public void WaitFor_NothingPublished_TimesOutAndLeavesNoWakeUpBehind()
    {
        // Arrange
        var strategy = new BlockingWaitStrategy(Poller);
        var sequencer = new MultiProducerSequencer<BlockingWaitStrategy>(RingSize, strategy);
        SequenceBarrier barrier = sequencer.NewBarrier();

        // Act
        long result = strategy.WaitFor(0, barrier, TimeSpan.FromMilliseconds(20));

        // Assert
        Assert.Equal(WaitResult.TimedOut, result);
        Assert.Equal(1, strategy.Parks);
        Assert.Equal(0, Poller.WaitForEvents(0));
    }

    private protected override IWaitStrategyContract CreateContract(SocketPoller poller) =>
        new WaitStrategyContract<BlockingWaitStrategy>(() => new(poller));

    private static Thread StartWaiter(Action wait)
    {
        var thread = new Thread(() => wait()) { IsBackground = true, Name = "poller-waiter" };
        thread.Start();
        return thread;
    }

    /// <summary>
    /// Joins within the bound; a waiter asleep in the poller that a broken wake-up never reached is woken by a readable
    /// socket instead (it reads, finds its sequence published and returns), so the test still ends.
    /// </summary>
    private bool JoinOrRescue(Thread waiter)
    {
        if (waiter.Join(TestThreads.Bound))
        {
            return true;
        }

        using var pair = LoopbackSocketPair.Connect();
        var reader = new RecordingPolledReader(pair.LocalDescriptor);
        var slot = Poller.Register(pair.LocalDescriptor, reader);
        pair.Peer.Send("wake"u8);
        waiter.Join(TestThreads.Bound);
        Poller.Unregister(slot, reader, pair.LocalDescriptor);
        return false;
    }
}
