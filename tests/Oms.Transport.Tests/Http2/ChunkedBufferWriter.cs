namespace Oms.Transport.Tests.Http2;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that never hands out more than <c>maxSpan</c> octets at once, whatever the
/// size hint, like a pipe whose segments are smaller than the write; it also counts calls.
/// </summary>
internal sealed class ChunkedBufferWriter : IBufferWriter<byte>
{
    private readonly int _maxSpan;
    private readonly List<byte> _written = [];
    private byte[] _current = [];

    public ChunkedBufferWriter(int maxSpan) => _maxSpan = maxSpan;

    public int GetSpanCalls { get; private set; }

    public int AdvanceCalls { get; private set; }

    public byte[] WrittenBytes => [.. _written];

    public void Advance(int count)
    {
        AdvanceCalls++;
        if (count < 0 || count > _current.Length)
        {
            throw new InvalidOperationException("Advanced past the span handed out.");
        }

        _written.AddRange(_current.AsSpan(0, count));
        _current = [];
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        GetSpanCalls++;
        _current = new byte[_maxSpan];
        return _current;
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
