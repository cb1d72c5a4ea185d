namespace Oms.Transport.Tests.Support;

[Collection(NonParallelCollection.Name)]
public sealed class UnobservedExceptionProbeTests
{
    [Fact]
    public void CollectTransportExceptions_FaultedTaskNobodyObserved_IsReported()
    {
        using var probe = new UnobservedExceptionProbe();

        FaultAndForget();
        var seen = probe.CollectTransportExceptions();

        Assert.Contains(seen, e => e.ToString().Contains("probe test fault", StringComparison.Ordinal));
    }

    [Fact]
    public void IsFromTransport_ExceptionWithoutTransportFrames_IsFalse()
    {
        Assert.False(UnobservedExceptionProbe.IsFromTransport(new InvalidOperationException("elsewhere")));
        Assert.True(UnobservedExceptionProbe.IsFromTransport(new Oms.Transport.Client.Http2ConnectException("x")));
    }

    // Not inlined so the faulted task is unreachable once this returns.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void FaultAndForget()
    {
        var source = new TaskCompletionSource();
        source.SetException(new InvalidOperationException("probe test fault in Oms.Transport"));
    }
}
