namespace Oms.Benchmarks.Sequencing;

/// <summary>The ring benchmark's event: one number, summed by the consumer into a checksum.</summary>
public struct RingEvent
{
    /// <summary>The producer's value.</summary>
    public long Value;
}
