using System.Buffers;

namespace Oms.Benchmarks.Support;

/// <summary>A buffer writer that hands out the same memory again and again: a socket with infinite, free bandwidth.</summary>
public sealed class DiscardingBufferWriter : IBufferWriter<byte>
{
    private readonly byte[] _buffer = new byte[64 * 1024];

    /// <summary>Bytes "sent" so far, so a run can be checked for having done the work.</summary>
    public long BytesWritten { get; private set; }

    /// <inheritdoc />
    public void Advance(int count) => BytesWritten += count;

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer;

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => _buffer;
}
