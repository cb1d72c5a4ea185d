using Oms.Testing.Polling;

namespace Oms.Transport.Tests.Connections;

/// <summary>
/// The epoll poller on its own, over loopback socket pairs: wake-ups, readiness, registration, the non-blocking read
/// the connections use, and the lock that keeps readers and other threads apart.
/// </summary>
public sealed class SocketPollerTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    private readonly SocketPoller? _poller = SocketPoller.IsSupported ? new SocketPoller() : null;

    private SocketPoller Poller => _poller ?? throw new InvalidOperationException("The skippable facts do not run here.");

    public void Dispose() => _poller?.Dispose();

    [SocketPollerFact]
    public void Wake_OwnerAsleepWithoutTimeout_WaitForEventsReturnsTheWakeUp()
    {
        // Arrange
        var ready = -1;
        using var started = new ManualResetEventSlim();
        var owner = new Thread(() =>
        {
            started.Set();
            ready = Poller.WaitForEvents(-1);
            Poller.RunReaders(ready);
        })
        { IsBackground = true, Name = "poller-wake-test" };
        owner.Start();
        Assert.True(started.Wait(s_bound));

        // Act: whether the owner is asleep yet or not, the wake-up must end its wait (a wake-up before the wait stays
        // pending in the descriptor).
        Poller.Wake();
        var returned = owner.Join(s_bound);
        if (!returned)
        {
            RescueOwner(owner);
        }

        // Assert
        Assert.True(returned, "WaitForEvents(-1) did not return after Wake");
        Assert.Equal(1, ready);
        Assert.Equal(1, Poller.WakeUps);
        Assert.Equal(0, Poller.SocketWakeUps);
    }

    [SocketPollerFact]
    public void WaitForEvents_NothingReady_ReturnsZeroAtOnce()
    {
        // Act
        var ready = Poller.WaitForEvents(0);

        // Assert
        Assert.Equal(0, ready);
    }

    [SocketPollerFact]
    public void RunReaders_AfterAWakeUp_ConsumesItSoTheNextLookFindsNothing()
    {
        // Arrange: two wake-ups before anyone looks count as one readable descriptor.
        Poller.Wake();
        Poller.Wake();

        // Act
        var first = Poller.WaitForEvents(0);
        Poller.RunReaders(first);
        var second = Poller.WaitForEvents(0);

        // Assert: level-triggered, so a wake-up left unread would be reported again and again.
        Assert.Equal(1, first);
        Assert.Equal(0, second);
        Assert.Equal(1, Poller.WakeUps);
    }

    [SocketPollerFact]
    public void RunReaders_RegisteredSocketReadable_CallsItsReaderOnTheOwnersThreadWithTheBytes()
    {
        // Arrange
        using var pair = LoopbackSocketPair.Connect();
        var reader = new RecordingPolledReader(pair.LocalDescriptor);
        Poller.Register(pair.LocalDescriptor, reader);
        pair.PeerSends("hello"u8);

        // Act
        var ready = Poller.WaitForEvents(0);
        Poller.RunReaders(ready);

        // Assert
        Assert.Equal(1, ready);
        Assert.Equal(1, reader.Calls);
        Assert.Equal(Environment.CurrentManagedThreadId, reader.LastThreadId);
        Assert.Equal("hello"u8.ToArray(), reader.Received);
        Assert.False(reader.SawEnd);
        Assert.Equal(1, Poller.SocketWakeUps);
        Assert.Equal(0, Poller.WaitForEvents(0));
    }

    [SocketPollerFact]
    public void WaitForEvents_OwnerAsleepWhenBytesArrive_ReturnsAndTheReaderReadsThem()
    {
        // Arrange
        using var pair = LoopbackSocketPair.Connect();
        var reader = new RecordingPolledReader(pair.LocalDescriptor);
        Poller.Register(pair.LocalDescriptor, reader);
        var ready = -1;
        using var started = new ManualResetEventSlim();
        var owner = new Thread(() =>
        {
            started.Set();
            ready = Poller.WaitForEvents(-1);
            Poller.RunReaders(ready);
        })
        { IsBackground = true, Name = "poller-socket-test" };
        owner.Start();
        Assert.True(started.Wait(s_bound));

        // Act
        pair.Peer.Send("abc"u8);
        var returned = owner.Join(s_bound);
        if (!returned)
        {
            RescueOwner(owner);
        }

        // Assert
        Assert.True(returned, "WaitForEvents(-1) did not return when the socket became readable");
        Assert.Equal(1, ready);
        Assert.Equal(owner.ManagedThreadId, reader.LastThreadId);
        Assert.Equal("abc"u8.ToArray(), reader.Received);
        Assert.Equal(0, Poller.WakeUps);
    }

    [SocketPollerFact]
    public void RunReaders_PeerShutsDown_ReaderIsCalledAndSeesTheEnd()
    {
        // Arrange
        using var pair = LoopbackSocketPair.Connect();
        var reader = new RecordingPolledReader(pair.LocalDescriptor);
        Poller.Register(pair.LocalDescriptor, reader);

        // Act
        pair.Peer.Shutdown(SocketShutdown.Send);
        pair.WaitUntilLocalIsReadable();
        Poller.RunReaders(Poller.WaitForEvents(0));

        // Assert
        Assert.Equal(1, reader.Calls);
        Assert.True(reader.SawEnd);
    }

    [SocketPollerFact]
    public void Unregister_ThenPeerWrites_ReaderIsNotCalledAgain()
    {
        // Arrange
        using var pair = LoopbackSocketPair.Connect();
        var reader = new RecordingPolledReader(pair.LocalDescriptor);
        var slot = Poller.Register(pair.LocalDescriptor, reader);
        pair.PeerSends("one"u8);
        Poller.RunReaders(Poller.WaitForEvents(0));

        // Act
        Poller.Unregister(slot, reader, pair.LocalDescriptor);
        pair.PeerSends("two"u8);
        var ready = Poller.WaitForEvents(0);
        Poller.RunReaders(ready);

        // Assert: the bytes are there, yet the poller no longer watches the socket.
        Assert.Equal(0, ready);
        Assert.Equal(1, reader.Calls);
        Assert.Equal("one"u8.ToArray(), reader.Received);
        Assert.True(pair.Local.Available > 0);
    }

    [SocketPollerFact]
    public void Unregister_AnotherReaderForTheSameSlot_LeavesTheRegistrationInPlace()
    {
        // Arrange
        using var pair = LoopbackSocketPair.Connect();
        var reader = new RecordingPolledReader(pair.LocalDescriptor);
        var stranger = new RecordingPolledReader(pair.LocalDescriptor);
        var slot = Poller.Register(pair.LocalDescriptor, reader);

        // Act: a connection that no longer owns the slot (it was ended and the slot given to another) must not remove it.
        Poller.Unregister(slot, stranger, pair.LocalDescriptor);
        pair.PeerSends("still here"u8);
        var ready = Poller.WaitForEvents(0);
        Poller.RunReaders(ready);

        // Assert
        Assert.Equal(1, ready);
        Assert.Equal(1, reader.Calls);
        Assert.Equal(0, stranger.Calls);
        Assert.Equal("still here"u8.ToArray(), reader.Received);
    }

    [SocketPollerFact]
    public void Register_MoreSocketsThanTheFirstTableHolds_EachReaderIsCalledForItsOwnSocketOnly()
    {
        // Arrange: the table starts with 8 slots, one of them the wake-up's; 12 sockets make it grow.
        const int count = 12;
        var pairs = Enumerable.Range(0, count).Select(_ => LoopbackSocketPair.Connect()).ToArray();
        try
        {
            var readers = pairs.Select(p => new RecordingPolledReader(p.LocalDescriptor)).ToArray();
            var slots = pairs.Select((p, i) => Poller.Register(p.LocalDescriptor, readers[i])).ToArray();

            // Act: every other socket gets its index as a byte.
            for (var i = 0; i < count; i += 2)
            {
                pairs[i].PeerSends([(byte)i]);
            }

            var ready = Poller.WaitForEvents(0);
            Poller.RunReaders(ready);

            // Assert
            Assert.Equal(count, slots.Distinct().Count());
            Assert.DoesNotContain(0, slots);
            Assert.Equal(count / 2, ready);
            for (var i = 0; i < count; i++)
            {
                byte[] expected = i % 2 == 0 ? [(byte)i] : [];
                Assert.Equal(expected, readers[i].Received);
                Assert.Equal(i % 2 == 0 ? 1 : 0, readers[i].Calls);
            }
        }
        finally
        {
            foreach (var pair in pairs)
            {
                pair.Dispose();
            }
        }
    }

    [SocketPollerFact]
    public void Register_SlotOfAnUnregisteredReader_IsReusedForTheNextOne()
    {
        // Arrange
        using var first = LoopbackSocketPair.Connect();
        using var second = LoopbackSocketPair.Connect();
        var firstReader = new RecordingPolledReader(first.LocalDescriptor);
        var secondReader = new RecordingPolledReader(second.LocalDescriptor);
        var firstSlot = Poller.Register(first.LocalDescriptor, firstReader);
        Poller.Unregister(firstSlot, firstReader, first.LocalDescriptor);

        // Act
        var secondSlot = Poller.Register(second.LocalDescriptor, secondReader);
        first.PeerSends("old"u8);
        second.PeerSends("new"u8);
        var ready = Poller.WaitForEvents(0);
        Poller.RunReaders(ready);

        // Assert
        Assert.Equal(firstSlot, secondSlot);
        Assert.Equal(1, ready);
        Assert.Equal(0, firstReader.Calls);
        Assert.Equal("new"u8.ToArray(), secondReader.Received);
    }

    [SocketPollerFact]
    public void Register_DescriptorTheKernelRefuses_ThrowsAndKeepsNoSlotForTheReader()
    {
        // Arrange: epoll refuses a descriptor already in its set (EEXIST).
        using var pair = LoopbackSocketPair.Connect();
        using var other = LoopbackSocketPair.Connect();
        var reader = new RecordingPolledReader(pair.LocalDescriptor);
        var refused = new RecordingPolledReader(pair.LocalDescriptor);
        var slot = Poller.Register(pair.LocalDescriptor, reader);

        // Act
        var error = Assert.Throws<IOException>(() => Poller.Register(pair.LocalDescriptor, refused));
        var next = Poller.Register(other.LocalDescriptor, new RecordingPolledReader(other.LocalDescriptor));

        // Assert: the refused registration's slot is free again (and holds no reference to its reader).
        Assert.Contains("epoll_ctl(ADD) failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(slot + 1, next);
    }

    [SocketPollerFact]
    public void RunExclusive_WhileAReaderRuns_WaitsUntilItHasReturned()
    {
        // Arrange: the reader is held inside its call until the test lets it go.
        using var pair = LoopbackSocketPair.Connect();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var inside = 0;
        var reader = new RecordingPolledReader(pair.LocalDescriptor)
        {
            OnEnter = () =>
            {
                Volatile.Write(ref inside, 1);
                entered.Set();
                release.Wait(s_bound);
                Volatile.Write(ref inside, 0);
            },
        };
        Poller.Register(pair.LocalDescriptor, reader);
        pair.PeerSends("x"u8);
        var owner = new Thread(() => Poller.RunReaders(Poller.WaitForEvents(0))) { IsBackground = true, Name = "poller-lock-test" };
        owner.Start();
        Assert.True(entered.Wait(s_bound));

        // Act: the exclusive action is asked for while the reader is inside; it may only run once the reader is out.
        var sawReaderInside = -1;
        var exclusive = Task.Run(() => Poller.RunExclusive(() => sawReaderInside = Volatile.Read(ref inside)));
        var finishedWhileHeld = exclusive.Wait(TimeSpan.FromMilliseconds(100));
        release.Set();
        exclusive.Wait(s_bound);
        Assert.True(owner.Join(s_bound));

        // Assert
        Assert.False(finishedWhileHeld, "RunExclusive ran while a reader was inside the poller's pass");
        Assert.Equal(0, sawReaderInside);
    }

    [SocketPollerFact]
    public void ReceiveAvailable_NothingWaiting_ReturnsMinusOneWithoutBlocking()
    {
        // Arrange
        using var pair = LoopbackSocketPair.Connect();
        var buffer = new byte[16];

        // Act
        var received = SocketPoller.ReceiveAvailable(pair.LocalDescriptor, buffer);

        // Assert
        Assert.Equal(-1, received);
    }

    [SocketPollerFact]
    public void ReceiveAvailable_BytesWaiting_ReturnsThemAndThenMinusOne()
    {
        // Arrange
        using var pair = LoopbackSocketPair.Connect();
        pair.PeerSends("0123456789"u8);
        var buffer = new byte[16];

        // Act
        var first = SocketPoller.ReceiveAvailable(pair.LocalDescriptor, buffer);
        var second = SocketPoller.ReceiveAvailable(pair.LocalDescriptor, buffer.AsSpan(first));

        // Assert
        Assert.Equal(10, first);
        Assert.Equal("0123456789"u8.ToArray(), buffer[..10]);
        Assert.Equal(-1, second);
    }

    [SocketPollerFact]
    public void ReceiveAvailable_MoreWaitingThanTheBuffer_ReturnsABufferfulAtATime()
    {
        // Arrange
        using var pair = LoopbackSocketPair.Connect();
        pair.PeerSends("abcdef"u8);
        var buffer = new byte[4];

        // Act
        var first = SocketPoller.ReceiveAvailable(pair.LocalDescriptor, buffer);
        var firstBytes = buffer[..first];
        var second = SocketPoller.ReceiveAvailable(pair.LocalDescriptor, buffer);

        // Assert
        Assert.Equal(4, first);
        Assert.Equal("abcd"u8.ToArray(), firstBytes);
        Assert.Equal(2, second);
        Assert.Equal("ef"u8.ToArray(), buffer[..2]);
    }

    [SocketPollerFact]
    public void ReceiveAvailable_PeerShutDown_ReturnsZero()
    {
        // Arrange
        using var pair = LoopbackSocketPair.Connect();
        pair.Peer.Shutdown(SocketShutdown.Send);
        pair.WaitUntilLocalIsReadable();
        var buffer = new byte[16];

        // Act
        var received = SocketPoller.ReceiveAvailable(pair.LocalDescriptor, buffer);

        // Assert
        Assert.Equal(0, received);
    }

    [SocketPollerFact]
    public void ReceiveAvailable_PeerReset_ThrowsIOException()
    {
        // Arrange: a zero linger makes the close a reset (RST) rather than an orderly end.
        using var pair = LoopbackSocketPair.Connect();
        pair.Peer.LingerState = new LingerOption(true, 0);
        pair.Peer.Close();
        pair.WaitUntilLocalIsReadable();
        var buffer = new byte[16];

        // Act / Assert
        var error = Assert.Throws<IOException>(() => SocketPoller.ReceiveAvailable(pair.LocalDescriptor, buffer));
        Assert.Contains("recv failed", error.Message, StringComparison.Ordinal);
    }

    [SocketPollerFact]
    public void Dispose_Twice_SecondIsANoOpAndRegisteringAfterwardsThrows()
    {
        // Arrange
        using var pair = LoopbackSocketPair.Connect();
        var poller = new SocketPoller();
        var reader = new RecordingPolledReader(pair.LocalDescriptor);
        var slot = poller.Register(pair.LocalDescriptor, reader);

        // Act
        poller.Dispose();
        poller.Dispose();

        // Assert: a connection handing over to a poller that is gone keeps its own reader thread (it catches this).
        Assert.Throws<ObjectDisposedException>(() => poller.Register(pair.LocalDescriptor, reader));
        poller.Unregister(slot, reader, pair.LocalDescriptor);
    }

    /// <summary>
    /// A broken wake-up would leave the owner asleep for good: a readable socket registered from here ends the sleep,
    /// so the thread still stops within the test's bound.
    /// </summary>
    private void RescueOwner(Thread owner)
    {
        using var pair = LoopbackSocketPair.Connect();
        var reader = new RecordingPolledReader(pair.LocalDescriptor);
        var slot = Poller.Register(pair.LocalDescriptor, reader);
        pair.Peer.Send("wake"u8);
        owner.Join(s_bound);
        Poller.Unregister(slot, reader, pair.LocalDescriptor);
    }
}
