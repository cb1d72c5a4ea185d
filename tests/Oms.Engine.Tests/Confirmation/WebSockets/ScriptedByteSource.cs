using Oms.Engine.Confirmation.WebSockets;

namespace Oms.Engine.Tests.Confirmation.WebSockets;

/// <summary>A byte stream given in chunks: each read takes what is left of the next chunk (up to the room given); empty reads as a timeout.</summary>
internal sealed class ScriptedByteSource(IEnumerable<byte[]> chunks) : IWebSocketByteSource
{
    private readonly Queue<byte[]> _chunks = new(chunks);
    private byte[] _current = [];
    private int _offset;

    /// <summary>The same bytes, one octet per read.</summary>
    public static ScriptedByteSource ByteAtATime(params byte[][] frames) =>
        new(frames.SelectMany(f => f).Select(b => new[] { b }));

    public static ScriptedByteSource Whole(params byte[][] frames) => new([frames.SelectMany(f => f).ToArray()]);

    public int Read(Span<byte> destination, int timeoutMs)
    {
        while (_offset == _current.Length)
        {
            if (!_chunks.TryDequeue(out var next))
            {
                return 0;
            }

            _current = next;
            _offset = 0;
        }

        int count = Math.Min(destination.Length, _current.Length - _offset);
        _current.AsSpan(_offset, count).CopyTo(destination);
        _offset += count;
        return count;
    }
}
