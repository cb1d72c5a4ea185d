using System.Buffers;

namespace Oms.Engine.Tests.Protocol;

public sealed class SegmentedSequenceTests
{
    private static readonly byte[] s_data = "{\"code\":0}"u8.ToArray();

    [Fact]
    public void SplitAt_EveryOffset_KeepsBytesAndMakesTwoSegments()
    {
        for (int offset = 0; offset <= s_data.Length; offset++)
        {
            ReadOnlySequence<byte> sequence = SegmentedSequence.SplitAt(s_data, offset);

            Assert.Equal(s_data, sequence.ToArray());
            Assert.Equal(s_data.Length, sequence.Length);
            Assert.Equal(2, CountSegments(sequence));
            Assert.Equal(offset, sequence.First.Length);
        }
    }

    [Fact]
    public void OneBytePerSegment_KeepsBytesInOrder()
    {
        ReadOnlySequence<byte> sequence = SegmentedSequence.OneBytePerSegment(s_data);

        Assert.Equal(s_data, sequence.ToArray());
        Assert.Equal(s_data.Length, CountSegments(sequence));
        Assert.False(sequence.IsSingleSegment);
    }

    [Fact]
    public void Create_NoParts_IsEmpty()
    {
        Assert.True(SegmentedSequence.Create().IsEmpty);
    }

    private static int CountSegments(ReadOnlySequence<byte> sequence)
    {
        int count = 0;
        foreach (ReadOnlyMemory<byte> unused in sequence)
        {
            count++;
        }

        return count;
    }
}
