using System.Buffers;


namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one byte array allocated up front, reset before each use. It never
/// grows: running out of room is a sizing bug, reported by an exception rather than hidden by an allocation.
/// </summary>
/// <remarks>Single-threaded, like the writer that owns it.</remarks>
internal sealed class FixedBufferWriter : IBufferWriter<byte>
{
    private readonly byte[] _buffer;
    private int _written;

    /// <summary>Creates a writer over a new array of <paramref name="capacity"/> bytes.</summary>
    /// <param name="capacity">The most bytes one use may write.</param>
    public FixedBufferWriter(int capacity)
    {
        _buffer = new byte[capacity];
    }

    /// <summary>The array's length.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>The bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan => new(_buffer, 0, _written);

    /// <summary>Forgets what was written; the array is reused as it is.</summary>
    public void Clear() => _written = 0;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _written))
        {
            ThrowHelper.ThrowAdvancedTooFar();
        }

        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureRoom(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureRoom(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void EnsureRoom(int sizeHint)
    {
        if (Math.Max(sizeHint, 1) > _buffer.Length - _written)
        {
            ThrowHelper.ThrowFixedBufferTooSmall(_buffer.Length, sizeHint);
        }
    }
}
