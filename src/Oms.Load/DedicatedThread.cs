namespace Oms.Load;

/// <summary>Runs a load generator on a thread of its own, as a strategy's thread would be, and awaits it.</summary>
internal static class DedicatedThread
{
    /// <summary>Starts <paramref name="body"/> on a new background thread named <paramref name="name"/>.</summary>
    /// <returns>The body's result, or its exception, once the thread is done.</returns>
    public static Task<int> Run(string name, Func<int> body)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(body());
            }
#pragma warning disable CA1031 // Handed to the awaiting harness, which reports it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }
}
