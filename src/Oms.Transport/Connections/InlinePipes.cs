using System.IO.Pipelines;

namespace Oms.Transport.Connections;

/// <summary>
/// The pipes of a connection: inline, never pausing. The reader thread fills and drains the inbound pipe itself, and
/// the sending thread moves the outbound pipe to the socket when it flushes, so no byte waits for another thread.
/// </summary>
internal static class InlinePipes
{
    private const int SegmentSize = 64 * 1024;

    public static PipeOptions Options { get; } = new(
        pauseWriterThreshold: 0, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, minimumSegmentSize: SegmentSize, useSynchronizationContext: false);

    /// <summary>
    /// Waits out a flush of one of these pipes. They never pause their writer and run inline, so the flush has always
    /// completed; this only keeps the rule that every <see cref="ValueTask{T}"/> is consumed exactly once.
    /// </summary>
    public static void CompleteInline(ValueTask<FlushResult> flush)
    {
        if (flush.IsCompletedSuccessfully)
        {
            _ = flush.Result;
            return;
        }

        flush.AsTask().GetAwaiter().GetResult();
    }
}
