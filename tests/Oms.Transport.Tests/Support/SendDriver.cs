namespace Oms.Transport.Tests.Support;

/// <summary>
/// Plays the engine's consumer thread: sends a range of tokens through a sender, flushing once per batch, and when
/// the sender has no room, flushes and retries until a deadline.
/// </summary>
/// <remarks>Allocates nothing per request itself (the allocation test runs it), apart from the timeout exception.</remarks>
internal static class SendDriver
{
    /// <summary>Sends tokens [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) on this thread.</summary>
    /// <returns>How many times the sender answered NoCapacity or NoConnection.</returns>
    /// <exception cref="TimeoutException">A token could not be sent before the deadline.</exception>
    public static int SendAll(IHttp2RequestSender sender, int first, int count, Func<int, Http2SendResult> trySend, int batchSize, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var refusals = 0;
        var inBatch = 0;
        for (var token = first; token < first + count; token++)
        {
            while (true)
            {
                var result = trySend(token);
                if (result == Http2SendResult.Sent)
                {
                    break;
                }

                if (result == Http2SendResult.Disposed)
                {
                    throw new InvalidOperationException("the sender was disposed");
                }

                refusals++;
                sender.Flush();
                inBatch = 0;
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"token {token} could not be sent: {result}");
                }

                Thread.Sleep(1);
            }

            if (++inBatch == batchSize)
            {
                sender.Flush();
                inBatch = 0;
            }
        }

        sender.Flush();
        return refusals;
    }

    /// <summary>Runs <see cref="SendAll"/> on a dedicated thread, as the engine's consumer would.</summary>
    public static Task<int> SendAllOnThreadAsync(IHttp2RequestSender sender, int first, int count, Func<int, Http2SendResult> trySend, int batchSize, TimeSpan timeout) =>
        Task.Factory.StartNew(
            () => SendAll(sender, first, count, trySend, batchSize, timeout),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
}
