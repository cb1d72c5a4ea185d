using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Oms.Transport.Connections;

/// <summary>A request's header block: HPACK size updates owed to the peer, the cached constants, the path with a query, the literals.</summary>
internal sealed partial class RequestWriter
{
    /// <summary>
    /// The request's header block: a table size update if one is owed, the pseudo-headers and constant headers
    /// (indexed once per connection, then replayed from cached bytes), then the variable literals.
    /// </summary>
    private int EncodeHeaderBlockUnderLock(Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue)
    {
        Debug.Assert(_writeLock.IsHeldByCurrentThread);
        if (_limits.HeaderTableVersion != _appliedHeaderTableVersion)
        {
            ApplyPeerHeaderTableSizeUnderLock();
        }

        var destination = _headerScratch.AsSpan();
        var length = 0;
        if (_encoder.IsSizeUpdatePending)
        {
            _encoder.TryBeginHeaderBlock(destination, out length);
        }

        if (!pathQuery.IsEmpty)
        {
            // A path of its own: encoded whole, its path a literal kept out of the dynamic table; the cached constants
            // are re-encoded by the next request of their shape.
            length += EncodeWithQueryUnderLock(template, pathQuery, destination[length..]);
            _constantTemplate = null;
        }
        else if (!ReferenceEquals(_constantTemplate, template))
        {
            // First request of this shape on this connection (or the table changed): insert the constants into the
            // dynamic table as this request carries them, then cache how they read from now on.
            length += EncodeConstantsUnderLock(template, HPackIndexing.Incremental, destination[length..]);
            _constantBlockLength = EncodeConstantsUnderLock(template, HPackIndexing.WithoutIndexing, _constantBlock);
            _constantTemplate = template;
        }
        else
        {
            _constantBlock.AsSpan(0, _constantBlockLength).CopyTo(destination[length..]);
            length += _constantBlockLength;
        }

        if (template.VariableHeaderCount > 0)
        {
            length += WriteVariable(template.VariablePrefix(0), firstVariableValue, destination[length..]);
        }

        if (template.VariableHeaderCount > 1)
        {
            length += WriteVariable(template.VariablePrefix(1), secondVariableValue, destination[length..]);
        }

        return length;
    }

    /// <summary>
    /// Takes the peer's header table size changes since the last request into the encoder: the smallest size they
    /// went through, then the final one, each announced at the start of the next header block (RFC 7541 section 4.2).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ApplyPeerHeaderTableSizeUnderLock()
    {
        Debug.Assert(_writeLock.IsHeldByCurrentThread);
        var (low, size, version) = _limits.TakeHeaderTableChange();
        _appliedHeaderTableVersion = version;

        if (low < size)
        {
            _encoder.SetMaxTableSize(low);
        }

        _encoder.SetMaxTableSize(size);
        if (_encoder.IsSizeUpdatePending)
        {
            // The table shrank or moved: the cached constants may name entries that are gone.
            _constantTemplate = null;
        }
    }

    private int EncodeConstantsUnderLock(Http2RequestTemplate template, HPackIndexing indexing, Span<byte> destination)
    {
        Debug.Assert(_writeLock.IsHeldByCurrentThread);
        var length = 0;
        length += Encode(":method"u8, template.MethodBytes, indexing, destination[length..]);
        length += Encode(":scheme"u8, _scheme, indexing, destination[length..]);
        length += Encode(":authority"u8, _authority, indexing, destination[length..]);
        length += Encode(":path"u8, template.PathBytes, indexing, destination[length..]);
        for (var i = 0; i < template.ConstantHeaderCount; i++)
        {
            length += Encode(template.ConstantName(i), template.ConstantValue(i), indexing, destination[length..]);
        }

        return length;
    }

    private int EncodeWithQueryUnderLock(Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, Span<byte> destination)
    {
        Debug.Assert(_writeLock.IsHeldByCurrentThread);
        var pathLength = template.PathBytes.Length + pathQuery.Length;
        if (pathLength > HeaderScratchSize / 2)
        {
            throw new InvalidOperationException($"A request path of {pathLength} octets is longer than {HeaderScratchSize / 2}.");
        }

        var path = (_pathScratch ??= new byte[HeaderScratchSize / 2]).AsSpan(0, pathLength);
        template.PathBytes.CopyTo(path);
        pathQuery.CopyTo(path[template.PathBytes.Length..]);
        var length = 0;
        length += Encode(":method"u8, template.MethodBytes, HPackIndexing.Incremental, destination[length..]);
        length += Encode(":scheme"u8, _scheme, HPackIndexing.Incremental, destination[length..]);
        length += Encode(":authority"u8, _authority, HPackIndexing.Incremental, destination[length..]);
        length += Encode(":path"u8, path, HPackIndexing.WithoutIndexing, destination[length..]);
        for (var i = 0; i < template.ConstantHeaderCount; i++)
        {
            length += Encode(template.ConstantName(i), template.ConstantValue(i), HPackIndexing.Incremental, destination[length..]);
        }

        return length;
    }

    private int Encode(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, HPackIndexing indexing, Span<byte> destination)
    {
        if (!_encoder.TryEncodeHeader(name, value, indexing, huffman: true, destination, out var written))
        {
            throw new InvalidOperationException($"The request's constant headers do not fit in {HeaderScratchSize} octets.");
        }

        return written;
    }

    // RFC 7541 section 5.2: the value string of a literal, raw (H = 0): per-request values are short and random-ish,
    // so Huffman would cost time for a few octets.
    private static int WriteVariable(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> value, Span<byte> destination)
    {
        prefix.CopyTo(destination);
        var length = prefix.Length;
        if (!HPackInteger.TryEncode(value.Length, 7, 0x00, destination[length..], out var written) || !value.TryCopyTo(destination[(length + written)..]))
        {
            throw new ArgumentException($"A variable header value of {value.Length} octets does not fit the header block.", nameof(value));
        }

        return length + written + value.Length;
    }
}
