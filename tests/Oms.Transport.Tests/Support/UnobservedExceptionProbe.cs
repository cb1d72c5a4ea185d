namespace Oms.Transport.Tests.Support;

/// <summary>
/// Collects task exceptions nobody observed, as <see cref="TaskScheduler.UnobservedTaskException"/> reports them
/// when the faulted task is finalized. <see cref="CollectTransportExceptions"/> forces that finalization.
/// </summary>
/// <remarks>
/// The event is process-wide and tests run in parallel, so only exceptions that involve the transport (its types
/// or its frames in the stack trace) are returned; everything seen is kept in <see cref="All"/> for diagnosis.
/// </remarks>
internal sealed class UnobservedExceptionProbe : IDisposable
{
    private readonly List<Exception> _seen = [];
    private readonly Lock _lock = new();

    public UnobservedExceptionProbe() => TaskScheduler.UnobservedTaskException += OnUnobserved;

    public IReadOnlyList<Exception> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Runs the GC and finalizers twice, then returns the transport's unobserved exceptions so far.</summary>
    public IReadOnlyList<Exception> CollectTransportExceptions()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return [.. All.Where(IsFromTransport)];
    }

    public void Dispose() => TaskScheduler.UnobservedTaskException -= OnUnobserved;

    internal static bool IsFromTransport(Exception exception) =>
        exception.ToString().Contains("Oms.Transport", StringComparison.Ordinal);

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        lock (_lock)
        {
            _seen.Add(e.Exception);
        }
    }
}
