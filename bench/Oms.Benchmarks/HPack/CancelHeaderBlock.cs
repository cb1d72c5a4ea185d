using System.Text;
using Oms.Transport.Client;
using Oms.Transport.HPack;

namespace Oms.Benchmarks.HPack;

/// <summary>
/// Encodes a cancel's header block the way <c>Http2Connection</c> does once a connection has carried its first
/// request: the pseudo-headers and constant headers replayed from cached bytes, then two literal values.
/// </summary>
/// <remarks>
/// The connection's code is private to it, so the bench rebuilds the same steps from the same public and
/// internal pieces (the template's cached variable prefixes, <see cref="HPackEncoder"/>, <see cref="HPackInteger"/>);
/// <see cref="Support.CancelStepVerifier"/> decodes the result to prove it is the request the venue accepts.
/// One owner thread, like the connection's send side.
/// </remarks>
public sealed class CancelHeaderBlock
{
    private readonly Http2RequestTemplate _template;
    private readonly byte[] _constantBlock = new byte[1024];
    private readonly int _constantBlockLength;

    /// <summary>Encodes the first request's constants into <paramref name="encoder"/>'s dynamic table and caches how they read from then on.</summary>
    /// <param name="template">The request shape.</param>
    /// <param name="encoder">The connection's encoder; its dynamic table receives the constant fields.</param>
    /// <param name="scheme">The <c>:scheme</c> value.</param>
    /// <param name="authority">The <c>:authority</c> value.</param>
    public CancelHeaderBlock(Http2RequestTemplate template, HPackEncoder encoder, string scheme, string authority)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(encoder);
        _template = template;
        Scheme = Encoding.ASCII.GetBytes(scheme);
        AuthorityBytes = Encoding.ASCII.GetBytes(authority);

        // The first request inserts the constants (literal with incremental indexing); the later ones refer to them.
        FirstBlockConstants = new byte[1024];
        FirstBlockConstantsLength = EncodeConstants(encoder, HPackIndexing.Incremental, FirstBlockConstants);
        _constantBlockLength = EncodeConstants(encoder, HPackIndexing.WithoutIndexing, _constantBlock);
    }

    /// <summary>The <c>:scheme</c> value's bytes.</summary>
    public byte[] Scheme { get; }

    /// <summary>The <c>:authority</c> value's bytes.</summary>
    public byte[] AuthorityBytes { get; }

    /// <summary>The constants as the connection's first request carried them (they fill a peer decoder's table).</summary>
    public byte[] FirstBlockConstants { get; }

    /// <summary>The length of <see cref="FirstBlockConstants"/>' content.</summary>
    public int FirstBlockConstantsLength { get; }

    /// <summary>The cached constant part of every later block, in octets.</summary>
    public int ConstantLength => _constantBlockLength;

    /// <summary>Writes one request's header block: the cached constants, then the timestamp and signature literals.</summary>
    /// <param name="timestamp">The <c>x-auth-timestamp</c> value (13 ASCII digits).</param>
    /// <param name="signature">The <c>x-auth-signature</c> value (44 ASCII bytes).</param>
    /// <param name="destination">Where the block goes; 256 octets are plenty.</param>
    /// <returns>The block's length.</returns>
    public int Write(ReadOnlySpan<byte> timestamp, ReadOnlySpan<byte> signature, Span<byte> destination)
    {
        _constantBlock.AsSpan(0, _constantBlockLength).CopyTo(destination);
        int length = _constantBlockLength;
        length += WriteVariable(_template.VariablePrefix(0), timestamp, destination[length..]);
        length += WriteVariable(_template.VariablePrefix(1), signature, destination[length..]);
        return length;
    }

    // RFC 7541 section 6.2.2 / 6.2.3, literal with a new name; the prefix (first octet and name) is cached by the
    // template, so only the value's length and octets are written per request:
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | H |     Value Length (7+)     |
    // +---+---------------------------+
    // | Value String (Length octets)  |
    // +-------------------------------+
    private static int WriteVariable(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> value, Span<byte> destination)
    {
        prefix.CopyTo(destination);
        int length = prefix.Length;
        if (!HPackInteger.TryEncode(value.Length, 7, 0x00, destination[length..], out int written) || !value.TryCopyTo(destination[(length + written)..]))
        {
            throw new ArgumentException("The header block buffer is too small.", nameof(destination));
        }

        return length + written + value.Length;
    }

    private int EncodeConstants(HPackEncoder encoder, HPackIndexing indexing, Span<byte> destination)
    {
        int length = 0;
        length += Encode(encoder, ":method"u8, _template.MethodBytes, indexing, destination[length..]);
        length += Encode(encoder, ":scheme"u8, Scheme, indexing, destination[length..]);
        length += Encode(encoder, ":authority"u8, AuthorityBytes, indexing, destination[length..]);
        length += Encode(encoder, ":path"u8, _template.PathBytes, indexing, destination[length..]);
        for (int i = 0; i < _template.ConstantHeaderCount; i++)
        {
            length += Encode(encoder, _template.ConstantName(i), _template.ConstantValue(i), indexing, destination[length..]);
        }

        return length;
    }

    private static int Encode(HPackEncoder encoder, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, HPackIndexing indexing, Span<byte> destination)
    {
        if (!encoder.TryEncodeHeader(name, value, indexing, huffman: true, destination, out int written))
        {
            throw new InvalidOperationException("The constant headers do not fit the scratch buffer.");
        }

        return written;
    }
}
