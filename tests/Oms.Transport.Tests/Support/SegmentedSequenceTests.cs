using Oms.Testing.Sequences;

namespace Oms.Transport.Tests.Support;

public sealed class SegmentedSequenceTests
{
    [Fact]
    public void Split_OneByteSegments_EverySegmentHoldsOneByteInOrder()
    {
        // Arrange
        byte[] data = [1, 2, 3, 4, 5];

        // Act
        ReadOnlySequence<byte> sequence = SegmentedSequence.Split(data, 1);

        // Assert
        var segments = new List<byte[]>();
        foreach (ReadOnlyMemory<byte> memory in sequence)
        {
            segments.Add(memory.ToArray());
        }

        Assert.Equal(5, segments.Count);
        Assert.All(segments, s => Assert.Single(s));
        Assert.Equal(data, sequence.ToArray());
        Assert.Equal(5, sequence.Length);
        Assert.False(sequence.IsSingleSegment);
    }

    [Fact]
    public void Split_SizeNotDividingLength_LastSegmentIsShorter()
    {
        // Arrange
        byte[] data = [1, 2, 3, 4, 5, 6, 7];

        // Act
        ReadOnlySequence<byte> sequence = SegmentedSequence.Split(data, 3);

        // Assert
        var lengths = new List<int>();
        foreach (ReadOnlyMemory<byte> memory in sequence)
        {
            lengths.Add(memory.Length);
        }

        Assert.Equal([3, 3, 1], lengths);
        Assert.Equal(data, sequence.ToArray());
    }

    [Fact]
    public void FromSegments_WithEmptySegments_KeepsContentAndRunningIndexes()
    {
        // Arrange
        byte[] a = [1, 2];
        byte[] b = [];
        byte[] c = [3];

        // Act
        ReadOnlySequence<byte> sequence = SegmentedSequence.FromSegments(a, b, c);

        // Assert
        Assert.Equal(3, sequence.Length);
        Assert.Equal(new byte[] { 1, 2, 3 }, sequence.ToArray());
        Assert.Equal(new byte[] { 2, 3 }, sequence.Slice(1).ToArray());
        Assert.Equal(new byte[] { 3 }, sequence.Slice(2, 1).ToArray());
    }

    [Fact]
    public void SplitAt_EveryOffset_KeepsBytesAndMakesTwoSegments()
    {
        byte[] data = "{\"code\":0}"u8.ToArray();
        for (int offset = 0; offset <= data.Length; offset++)
        {
            ReadOnlySequence<byte> sequence = SegmentedSequence.SplitAt(data, offset);

            Assert.Equal(data, sequence.ToArray());
            int segments = 0;
            foreach (ReadOnlyMemory<byte> unused in sequence)
            {
                segments++;
            }

            Assert.Equal(2, segments);
            Assert.Equal(offset, sequence.First.Length);
        }
    }

    [Fact]
    public void FromSegments_NoSegments_IsEmpty()
    {
        Assert.True(SegmentedSequence.FromSegments().IsEmpty);
    }
}
