using System.Runtime.InteropServices;

namespace Oms.Transport.Connections;

/// <summary>
/// One <c>epoll</c> instance in which the sending thread sleeps on everything that can wake it: the connections'
/// sockets and an <c>eventfd</c> the producers write only while it sleeps. Answers are then read on the thread that
/// sent the requests, and no answer crosses threads.
/// </summary>
/// <remarks>
/// <para>
/// Linux on x86-64 only (<see cref="IsSupported"/>): the layout of <c>struct epoll_event</c> is packed there, and
/// that is the one layout declared here. Elsewhere the connections keep their reader threads.
/// </para>
/// <para>
/// One thread calls <see cref="WaitForEvents"/> (the owner); any thread may call <see cref="Wake"/>, <see cref="Register"/>
/// and <see cref="RunExclusive"/>. Readers run under a lock the owner takes for each pass, so a connection closed
/// from another thread is ended by that thread while the owner is not inside it. Uncontended, the lock costs a few
/// nanoseconds a pass.
/// </para>
/// </remarks>
internal sealed unsafe partial class SocketPoller : IDisposable
{
    // epoll_event.events bits (sys/epoll.h) and epoll_ctl operations.
    private const uint EpollIn = 0x001;
    private const uint EpollErr = 0x008;
    private const uint EpollHup = 0x010;
    private const uint EpollRdHup = 0x2000;
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const int EpollCloexec = 0x80000;
    private const int EventFdCloexec = 0x80000;
    private const int EventFdNonBlock = 0x800;
    private const int EInterrupted = 4;
    private const int EAgain = 11;
    private const int MessageDontWait = 0x40;

    // Slot 0 of the registration table is the wake-up descriptor's; readers take the others.
    private const int WakeSlot = 0;
    private const int MaxEvents = 16;

    private readonly int _epoll;
    private readonly int _wakeFd;
    private readonly Lock _gate = new();
    private readonly EpollEvent* _events;
    private IPolledReader?[] _readers = new IPolledReader?[8];
    private bool _disposed;

    /// <summary>Creates the epoll instance and its wake-up descriptor.</summary>
    /// <exception cref="PlatformNotSupportedException">Not <see cref="IsSupported"/>.</exception>
    /// <exception cref="IOException">The kernel refused a descriptor (the process is out of them).</exception>
    public SocketPoller()
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("Sockets are polled on the sending thread only on Linux x86-64.");
        }

        _epoll = EpollCreate1(EpollCloexec);
        if (_epoll < 0)
        {
            throw new IOException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        _wakeFd = EventFd(0, EventFdCloexec | EventFdNonBlock);
        if (_wakeFd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = Close(_epoll);
            throw new IOException($"eventfd failed: errno {errno}");
        }

        _events = (EpollEvent*)NativeMemory.Alloc((nuint)(MaxEvents * sizeof(EpollEvent)));
        Add(_wakeFd, WakeSlot);
    }

    /// <summary>True where this works: Linux on x86-64 with libc's epoll and eventfd.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 && sizeof(EpollEvent) == 12;

    /// <summary>Wake-ups that came from <see cref="Wake"/> (the descriptor was readable).</summary>
    public long WakeUps { get; private set; }

    /// <summary>Passes in which at least one connection was readable.</summary>
    public long SocketWakeUps { get; private set; }

    /// <summary>Adds a connection's socket; its reader runs on the owner's thread from the next <see cref="WaitForEvents"/> on.</summary>
    /// <param name="fileDescriptor">The socket's descriptor, open for as long as the reader is registered.</param>
    /// <param name="reader">Reads what arrived, without blocking.</param>
    /// <returns>The registration to pass to <see cref="Unregister"/>.</returns>
    public int Register(nint fileDescriptor, IPolledReader reader)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var slot = Array.IndexOf(_readers, null, 1);
            if (slot < 0)
            {
                slot = _readers.Length;
                Array.Resize(ref _readers, _readers.Length * 2);
            }

            Add((int)fileDescriptor, slot);
            _readers[slot] = reader;
            return slot;
        }
    }

    /// <summary>Removes a registration; its reader is not called again. The caller closes the socket afterwards.</summary>
    public void Unregister(int slot, IPolledReader reader, nint fileDescriptor)
    {
        lock (_gate)
        {
            if (_disposed || !ReferenceEquals(_readers[slot], reader))
            {
                return;
            }

            _readers[slot] = null;

            // An error here means the descriptor is already closed, which removed it from the set anyway.
            EpollEvent unused = default;
            _ = EpollCtl(_epoll, EpollCtlDel, (int)fileDescriptor, &unused);
        }
    }

    /// <summary>Runs <paramref name="action"/> while no reader runs on the owner's thread.</summary>
    public void RunExclusive(Action action)
    {
        lock (_gate)
        {
            action();
        }
    }

    /// <summary>
    /// Sleeps until a registered socket is readable, <see cref="Wake"/> is called or the timeout passes. Owner thread
    /// only; pass the result to <see cref="RunReaders"/>.
    /// </summary>
    /// <param name="timeoutMilliseconds">How long to sleep: 0 only looks, -1 has no limit.</param>
    /// <returns>How many descriptors are ready (0 after a timeout or a signal).</returns>
    public int WaitForEvents(int timeoutMilliseconds)
    {
        var ready = EpollWait(_epoll, _events, MaxEvents, timeoutMilliseconds);

        // Below zero: a signal interrupted the sleep (EINTR); the caller checks its clock and its sequence again.
        return Math.Max(ready, 0);
    }

    /// <summary>Runs the readers of the sockets <see cref="WaitForEvents"/> found readable. Owner thread only.</summary>
    /// <param name="ready">What <see cref="WaitForEvents"/> returned.</param>
    public void RunReaders(int ready)
    {
        if (ready == 0)
        {
            return;
        }

        var ran = false;
        lock (_gate)
        {
            for (var i = 0; i < ready; i++)
            {
                var slot = (int)_events[i].Data;
                if (slot == WakeSlot)
                {
                    WakeUps++;
                    ulong count;
                    _ = Read(_wakeFd, &count, sizeof(ulong));
                    continue;
                }

                if ((uint)slot < (uint)_readers.Length && _readers[slot] is { } reader)
                {
                    reader.OnReadable();
                    ran = true;
                }
            }
        }

        if (ran)
        {
            SocketWakeUps++;
        }
    }

    /// <summary>Makes the owner's current or next <see cref="WaitForEvents"/> return. Any thread; one system call.</summary>
    public void Wake()
    {
        ulong one = 1;
        _ = Write(_wakeFd, &one, sizeof(ulong));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Array.Clear(_readers);
            _ = Close(_wakeFd);
            _ = Close(_epoll);
            NativeMemory.Free(_events);
        }
    }

    private void Add(int fileDescriptor, int slot)
    {
        // Level-triggered: a reader that leaves bytes in the socket is called again on the next pass.
        var registration = new EpollEvent { Events = EpollIn | EpollRdHup | EpollErr | EpollHup, Data = (ulong)slot };
        if (EpollCtl(_epoll, EpollCtlAdd, fileDescriptor, &registration) != 0)
        {
            throw new IOException($"epoll_ctl(ADD) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Reads what a socket holds without blocking: bytes read, 0 at the end of the stream, -1 when none are waiting.</summary>
    /// <exception cref="IOException">The socket failed (reset, closed).</exception>
    public static int ReceiveAvailable(nint fileDescriptor, Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var received = Receive((int)fileDescriptor, start, buffer.Length, MessageDontWait);
                if (received >= 0)
                {
                    return (int)received;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EAgain)
                {
                    return -1;
                }

                if (errno != EInterrupted)
                {
                    throw new IOException($"recv failed: errno {errno}");
                }
            }
        }
    }

    // x86-64's struct epoll_event is packed: 4 bytes of events, then 8 of data, 12 in all.
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epoll, int operation, int fileDescriptor, EpollEvent* registration);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epoll, EpollEvent* events, int maxEvents, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fileDescriptor, void* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fileDescriptor, void* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Receive(int fileDescriptor, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fileDescriptor);
}

/// <summary>A connection's read side as the <see cref="SocketPoller"/> drives it.</summary>
internal interface IPolledReader
{
    /// <summary>The socket is readable (or at its end, or failed): read what is there without blocking, and handle it.</summary>
    void OnReadable();
}
