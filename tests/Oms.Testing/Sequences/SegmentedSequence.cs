using System.Buffers;

namespace Oms.Testing.Sequences;

/// <summary>
/// Builds multi-segment <see cref="ReadOnlySequence{T}"/> instances, as a PipeReader hands out bytes that
/// arrived in several reads.
/// </summary>
public static class SegmentedSequence
{
    /// <summary>One sequence whose segments are exactly <paramref name="segments"/>, in order (empty ones kept).</summary>
    public static ReadOnlySequence<byte> FromSegments(params byte[][] segments)
    {
        if (segments.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(segments[0], 0);
        Segment last = first;
        for (int i = 1; i < segments.Length; i++)
        {
            last = last.Append(segments[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Cuts <paramref name="data"/> into segments of <paramref name="segmentSize"/> octets (the last may be shorter).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, int segmentSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segmentSize);
        if (data.Length == 0)
        {
            return FromSegments(Array.Empty<byte>());
        }

        var segments = new List<byte[]>();
        for (int offset = 0; offset < data.Length; offset += segmentSize)
        {
            segments.Add(data.AsSpan(offset, Math.Min(segmentSize, data.Length - offset)).ToArray());
        }

        return FromSegments([.. segments]);
    }

    /// <summary>Two segments: <paramref name="data"/> before <paramref name="offset"/> and from it on (either may be empty).</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, int offset) => FromSegments(data[..offset], data[offset..]);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
