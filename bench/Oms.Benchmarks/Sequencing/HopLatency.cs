using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Oms.Engine.Sequencing;

namespace Oms.Benchmarks.Sequencing;

/// <summary>
/// One hop through the ring, measured event by event: the time from a producer's publish to the consumer's first
/// look at the event, for each wait strategy and for a bounded <see cref="Channel{T}"/> read by the usual async loop.
/// BenchmarkDotNet reports means of many operations; a hop's tail needs every hop's own time, so this runs apart
/// (<c>dotnet run -c Release --project bench/Oms.Benchmarks -- hop</c>).
/// </summary>
/// <remarks>
/// <para>
/// Each hop starts from an idle consumer: the producer publishes one stamped event, waits until the consumer has
/// recorded it, then lets <see cref="Gap"/> pass so the consumer is back in its wait (spinning, yielding, asleep or
/// parked) before the next. That is the latency a strategy thread sees when it cancels into a quiet engine. The
/// stamp is <see cref="Stopwatch.GetTimestamp"/> on both sides, one clock.
/// </para>
/// <para>
/// Also printed: the one-way hand-off of a cache line between two spinning threads on this machine. The ring's
/// throughput and its hop follow it; it differs from machine to machine and, on shared hosts, from day to day.
/// </para>
/// </remarks>
public static class HopLatency
{
    /// <summary>The idle time between hops.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromMicroseconds(20);

    private const int RingSize = 1024;

    /// <summary>Measures <paramref name="hops"/> hops per strategy and prints a table.</summary>
    /// <param name="hops">Hops per strategy (the sleeping strategy takes about 1 ms each, so it gets a tenth).</param>
    /// <param name="output">Where the table goes.</param>
    public static void Run(int hops, TextWriter output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hops, 10);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Cache line hand-off between two spinning threads (one way): {PingPongNanoseconds(Math.Max(10_000, hops * 10)):0} ns"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"One hop, publish to consumer, from an idle consumer ({Gap.TotalMicroseconds:0} µs between hops):"));
        output.WriteLine();
        output.WriteLine("| queue | hops | p50 µs | p99 µs | p99.9 µs | max µs |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (WaitStrategyKind kind in Enum.GetValues<WaitStrategyKind>())
        {
            int count = kind == WaitStrategyKind.Sleeping ? Math.Max(10, hops / 10) : hops;
            long[] ticks = WaitStrategyFactory.Create(kind, new RingVisitor(count));
            output.WriteLine(Row("ring, " + WaitStrategyFactory.GetName(kind), ticks));
        }

        output.WriteLine(Row("bounded Channel", MeasureChannel(hops)));
    }

    /// <summary>Formats one row of the table from hop times in stopwatch ticks.</summary>
    /// <param name="name">The queue's name.</param>
    /// <param name="ticks">Each hop's time; sorted in place.</param>
    /// <returns>A Markdown table row.</returns>
    public static string Row(string name, long[] ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        Array.Sort(ticks);
        double Micros(double quantile) =>
            ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(quantile * ticks.Length) - 1)] * 1_000_000.0 / Stopwatch.Frequency;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {ticks.Length:N0} | {Micros(0.50):0.00} | {Micros(0.99):0.00} | {Micros(0.999):0.00} | {Micros(1.0):0.00} |");
    }

    private static long[] MeasureChannel(int hops)
    {
        var channel = Channel.CreateBounded<long>(new BoundedChannelOptions(RingSize) { SingleReader = true, SingleWriter = true });
        var recorder = new HopRecorder(hops);
        Task consumer = Task.Run(async () =>
        {
            ChannelReader<long> reader = channel.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out long stamp))
                {
                    recorder.Record(stamp);
                }
            }
        });
        try
        {
            Drive(hops, recorder, stamp => channel.Writer.TryWrite(stamp));
        }
        finally
        {
            channel.Writer.TryComplete();
            consumer.Wait(TimeSpan.FromSeconds(10));
        }

        return recorder.Hops;
    }

    // Publishes one stamped event at a time, each once the previous was seen and the gap has passed.
    private static void Drive(int hops, HopRecorder recorder, Func<long, bool> publish)
    {
        long gapTicks = (long)(Gap.TotalSeconds * Stopwatch.Frequency);
        long deadline = Stopwatch.GetTimestamp() + (10L * Stopwatch.Frequency) + (hops * Stopwatch.Frequency / 100);
        for (int i = 0; i < hops; i++)
        {
            long idleFrom = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() - idleFrom < gapTicks)
            {
                Thread.SpinWait(1);
            }

            if (!publish(Stopwatch.GetTimestamp()))
            {
                throw new InvalidOperationException($"Hop {i} could not be published: the queue is full with one event in flight.");
            }

            var spinner = default(SpinWait);
            while (recorder.Count <= i)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"Hop {i} was not seen by the consumer in time.");
                }

                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private static double PingPongNanoseconds(int rounds)
    {
        var line = new PaddedLong();
        var box = new StrongBox<PaddedLong>(line);
        var partner = new Thread(() =>
        {
            for (long i = 0; i < rounds; i++)
            {
                while (box.Value.ReadAcquire() != (2 * i) + 1)
                {
                }

                box.Value.WriteRelease((2 * i) + 2);
            }
        })
        { IsBackground = true, Name = "bench-ping-pong" };
        partner.Start();
        long start = Stopwatch.GetTimestamp();
        for (long i = 0; i < rounds; i++)
        {
            box.Value.WriteRelease((2 * i) + 1);
            while (box.Value.ReadAcquire() != (2 * i) + 2)
            {
            }
        }

        double nanoseconds = Stopwatch.GetElapsedTime(start).TotalNanoseconds / rounds / 2;
        partner.Join(TimeSpan.FromSeconds(10));
        return nanoseconds;
    }

    /// <summary>Hop times as the consumer sees them, and how many so far (the producer waits on it).</summary>
    private sealed class HopRecorder(int hops)
    {
        private int _count;

        public long[] Hops { get; } = new long[hops];

        public int Count => Volatile.Read(ref _count);

        public void Record(long stamp)
        {
            long now = Stopwatch.GetTimestamp();
            int index = _count;
            if (index < Hops.Length)
            {
                Hops[index] = now - stamp;
                Volatile.Write(ref _count, index + 1);
            }
        }
    }

    private readonly struct RecordingHandler(HopRecorder recorder) : IRingEventHandler<RingEvent>
    {
        public void OnBatchStart(long batchSize)
        {
        }

        public void OnEvent(ref RingEvent data, long sequence, bool endOfBatch) => recorder.Record(data.Value);

        public void OnIdle()
        {
        }
    }

    private readonly struct RingVisitor(int hops) : IWaitStrategyVisitor<long[]>
    {
        public long[] Visit<TWait>(TWait waitStrategy)
            where TWait : struct, IWaitStrategy
        {
            var ring = new RingBuffer<RingEvent>(RingSize);
            var sequencer = new MultiProducerSequencer<TWait>(RingSize, waitStrategy);
            var recorder = new HopRecorder(hops);
            Exception? failure = null;
            var processor = new BatchEventProcessor<RingEvent, RecordingHandler, TWait>(
                ring, sequencer, new RecordingHandler(recorder), Timeout.InfiniteTimeSpan, (error, _) => failure = error);
            processor.Start("bench-hop-consumer");
            try
            {
                Drive(hops, recorder, stamp =>
                {
                    if (!sequencer.TryNext(out long sequence))
                    {
                        return false;
                    }

                    ring[sequence].Value = stamp;
                    sequencer.Publish(sequence);
                    return true;
                });
            }
            finally
            {
                processor.Stop(TimeSpan.FromSeconds(10));
            }

            return failure is null ? recorder.Hops : throw new InvalidOperationException("The consumer failed.", failure);
        }
    }
}
