namespace Oms.Engine.Tests.Sequencing;

[Collection(TestThreads.Collection)]
public class SequenceTests
{
    [Fact]
    public void Sequence_New_StartsAtInitialValueMinusOne()
    {
        // Arrange / Act
        var sequence = new Sequence();

        // Assert
        Assert.Equal(-1, Sequence.InitialValue);
        Assert.Equal(Sequence.InitialValue, sequence.Value);
    }

    [Fact]
    public void Sequence_SetValue_IsReadBack()
    {
        // Arrange
        var sequence = new Sequence(10);

        // Act
        sequence.SetValue(42);

        // Assert
        Assert.Equal(42, sequence.Value);
        Assert.Equal("42", sequence.ToString());
    }

    [Fact]
    public void Sequence_CompareAndSet_SucceedsOnlyFromExpectedValue()
    {
        // Arrange
        var sequence = new Sequence(3);

        // Act
        bool stale = sequence.CompareAndSet(2, 100);
        bool current = sequence.CompareAndSet(3, 4);

        // Assert
        Assert.False(stale);
        Assert.True(current);
        Assert.Equal(4, sequence.Value);
    }

    [Fact]
    public void Sequence_ConcurrentCompareAndSetIncrements_LoseNoUpdate()
    {
        // Arrange
        const int threads = 4;
        const int incrementsPerThread = 50_000;
        var sequence = new Sequence(0);
        void Increment()
        {
            for (int i = 0; i < incrementsPerThread; i++)
            {
                long current;
                do
                {
                    current = sequence.Value;
                }
                while (!sequence.CompareAndSet(current, current + 1));
            }
        }

        // Act
        TestThreads.TestThread[] workers = [.. Enumerable.Range(0, threads).Select(i => TestThreads.StartNew($"cas-{i}", Increment))];
        foreach (TestThreads.TestThread worker in workers)
        {
            TestThreads.Join(worker);
        }

        // Assert
        Assert.Equal(threads * incrementsPerThread, sequence.Value);
    }
}
