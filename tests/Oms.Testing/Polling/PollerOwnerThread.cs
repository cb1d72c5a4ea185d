using System.Runtime.ExceptionServices;
using Oms.Transport.Connections;

namespace Oms.Testing.Polling;

/// <summary>
/// Plays the engine's consumer for a socket poller: one thread that sleeps in the poller and runs the readers of what
/// became readable, until stopped.
/// </summary>
/// <remarks>
/// Single use: stop it, and start another to resume polling. Stopping wakes the poller and joins the thread within
/// <see cref="StopBound"/>; whatever the loop threw is rethrown there.
/// </remarks>
internal sealed class PollerOwnerThread : IDisposable
{
    /// <summary>The owner thread's name, as a test sees it in the outcomes it records.</summary>
    public const string ThreadName = "poller-owner";

    /// <summary>How long <see cref="Stop"/> waits for the loop to end: it wakes within one pass.</summary>
    public static readonly TimeSpan StopBound = TimeSpan.FromSeconds(10);

    private readonly SocketPoller _poller;
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;
    private long _passes;
    private int _stop;

    private PollerOwnerThread(SocketPoller poller)
    {
        _poller = poller;
        _thread = new Thread(Loop) { IsBackground = true, Name = ThreadName };
    }

    /// <summary>The owner thread's managed id.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>Passes of the loop so far (each one wait and one run of the readers).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    public static PollerOwnerThread Start(SocketPoller poller)
    {
        var owner = new PollerOwnerThread(poller);
        owner._thread.Start();
        return owner;
    }

    /// <summary>Ends the loop and joins the thread; rethrows what the loop threw.</summary>
    /// <exception cref="TimeoutException">The loop did not end within <see cref="StopBound"/>.</exception>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stop, 1) == 0)
        {
            _poller.Wake();
        }

        if (!_thread.Join(StopBound))
        {
            throw new TimeoutException($"the poller's owner thread did not stop within {StopBound.TotalSeconds:0} s");
        }

        _failure?.Throw();
    }

    public void Dispose() => Stop();

    private void Loop()
    {
        try
        {
            while (Volatile.Read(ref _stop) == 0)
            {
                // A short timeout as well as the wake-up: a stop is seen within one pass even if a wake-up were lost.
                _poller.RunReaders(_poller.WaitForEvents(10));
                Interlocked.Increment(ref _passes);
            }
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
        }
    }
}
