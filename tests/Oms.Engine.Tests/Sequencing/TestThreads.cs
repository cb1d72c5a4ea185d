using System.Runtime.ExceptionServices;

namespace Oms.Engine.Tests.Sequencing;

/// <summary>Bounded joins and waits for the sequencing tests: a broken implementation fails, it never hangs.</summary>
internal static class TestThreads
{
    /// <summary>Tests that start threads share this collection so they do not compete for the two cores.</summary>
    public const string Collection = "Sequencing threads";

    /// <summary>A liveness bound, not a timing expectation: correct code finishes far sooner.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Starts a background thread whose exception (a failed assertion, say) is kept for <see cref="Join"/>
    /// instead of tearing down the test host.
    /// </summary>
    public static TestThread StartNew(string name, Action body)
    {
        var testThread = new TestThread(name, body);
        testThread.Start();
        return testThread;
    }

    /// <summary>Joins within <see cref="Bound"/> and rethrows whatever the thread threw.</summary>
    public static void Join(TestThread thread) => thread.Join();

    /// <summary>Waits until <paramref name="condition"/> holds, failing the test if it still does not after <see cref="Bound"/>.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        Assert.True(SpinWait.SpinUntil(condition, Bound), $"Timed out waiting for: {what}.");
    }

    /// <summary>A thread that remembers the exception that ended it.</summary>
    internal sealed class TestThread
    {
        private readonly Thread _thread;
        private ExceptionDispatchInfo? _failure;

        public TestThread(string name, Action body)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    body();
                }
                catch (Exception exception)
                {
                    _failure = ExceptionDispatchInfo.Capture(exception);
                }
            })
            {
                Name = name,
                IsBackground = true,
            };
        }

        public void Start() => _thread.Start();

        public void Join()
        {
            Assert.True(_thread.Join(Bound), $"Thread '{_thread.Name}' did not finish within {Bound}.");
            _failure?.Throw();
        }
    }
}
