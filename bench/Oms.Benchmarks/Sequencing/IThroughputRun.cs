namespace Oms.Benchmarks.Sequencing;

/// <summary>A running producers-to-one-consumer pipeline that can be asked to move a batch of events.</summary>
public interface IThroughputRun : IDisposable
{
    /// <summary>Has every producer publish 1..<paramref name="eventsPerProducer"/> and waits until the consumer has seen them all.</summary>
    /// <param name="eventsPerProducer">How many events each producer publishes.</param>
    /// <returns>The sum of the values the consumer saw during this call.</returns>
    long Run(long eventsPerProducer);
}
