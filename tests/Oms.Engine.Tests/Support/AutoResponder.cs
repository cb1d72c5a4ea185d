using System.Runtime.ExceptionServices;

namespace Oms.Engine.Tests.Support;

/// <summary>A test thread that answers every request a <see cref="FakeSender"/> records, as a venue would.</summary>
/// <remarks>Stopped by <see cref="Dispose"/> within a bounded time; an exception from the answer delegate is rethrown there.</remarks>
internal sealed class AutoResponder : IDisposable
{
    private readonly FakeSender _sender;
    private readonly Action<FakeSender, FakeRequest> _answer;
    private readonly Thread _thread;
    private volatile bool _stop;
    private ExceptionDispatchInfo? _failure;
    private int _answered;

    /// <summary>Starts answering with <paramref name="answer"/>; the default acknowledges everything.</summary>
    public AutoResponder(FakeSender sender, Action<FakeSender, FakeRequest>? answer = null)
    {
        _sender = sender;
        _answer = answer ?? ((s, r) => s.Ack(r));
        _thread = new Thread(Run) { Name = "fake-venue", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Requests answered so far.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>True once the answer delegate has thrown and the thread has ended.</summary>
    public bool Failed => Volatile.Read(ref _failure) is not null;

    /// <summary>Stops the thread (bounded) and rethrows what the answer delegate threw, if anything.</summary>
    public void Dispose()
    {
        _stop = true;
        Assert.True(_thread.Join(FakeSender.Bound), "The fake venue's thread did not stop.");
        _failure?.Throw();
    }

    private void Run()
    {
        var seen = 0;
        var spinner = default(SpinWait);
        try
        {
            while (!_stop)
            {
                var fresh = _sender.RequestsAfter(seen);
                if (fresh.Count == 0)
                {
                    spinner.SpinOnce(sleep1Threshold: 20);
                    continue;
                }

                spinner.Reset();
                foreach (var request in fresh)
                {
                    _answer(_sender, request);
                    Interlocked.Increment(ref _answered);
                }

                seen += fresh.Count;
            }
        }
        catch (Exception exception)
        {
            _failure = ExceptionDispatchInfo.Capture(exception);
        }
    }
}
