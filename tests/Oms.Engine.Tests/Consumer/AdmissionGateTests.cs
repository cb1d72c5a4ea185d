namespace Oms.Engine.Tests.Consumer;

public sealed class AdmissionGateTests
{
    [Fact]
    public void TryEnter_UpToCapacity_ThenRefusedUntilOneLeaves()
    {
        var gate = new AdmissionGate(3);

        var entered = Enumerable.Range(0, 4).Select(_ => gate.TryEnter()).ToArray();
        var unsentWhenFull = gate.Unsent;
        gate.Leave();
        var afterLeave = gate.TryEnter();

        Assert.Equal([true, true, true, false], entered);
        Assert.Equal(3, unsentWhenFull);
        Assert.True(afterLeave);
        Assert.Equal(3, gate.Unsent);
    }

    [Fact]
    public void TryEnter_ManyThreadsRacing_NeverAdmitsMoreThanCapacity()
    {
        const int capacity = 64;
        var gate = new AdmissionGate(capacity);
        var admitted = 0;
        var maxSeen = 0L;

        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                if (gate.TryEnter())
                {
                    Interlocked.Increment(ref admitted);
                    var unsent = gate.Unsent;
                    long seen;
                    while ((seen = Volatile.Read(ref maxSeen)) < unsent && Interlocked.CompareExchange(ref maxSeen, unsent, seen) != seen)
                    {
                    }

                    gate.Leave();
                }
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(30))));

        Assert.True(admitted > 0);
        Assert.InRange(maxSeen, 1, capacity);
        Assert.Equal(0, gate.Unsent);
    }
}
