namespace Oms.Transport.HPack;

/// <summary>
/// A header block the peer sent breaks RFC 7541 or one of our limits. The HTTP/2 connection treats it as a
/// connection error of type COMPRESSION_ERROR (RFC 9113 section 4.3): the decoding context is lost for good.
/// </summary>
internal sealed class HPackDecodingException : Exception
{
    /// <summary>Creates an exception carrying <see cref="HPackError.None"/>; prefer the constructor taking an error.</summary>
    public HPackDecodingException()
    {
    }

    /// <summary>Creates an exception carrying <see cref="HPackError.None"/> and a message.</summary>
    /// <param name="message">What went wrong.</param>
    public HPackDecodingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception carrying <see cref="HPackError.None"/>, a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public HPackDecodingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for <paramref name="error"/> with a message describing it.</summary>
    /// <param name="error">The precise reason the block was rejected.</param>
    public HPackDecodingException(HPackError error)
        : base(Describe(error))
    {
        Error = error;
    }

    /// <summary>The precise reason the header block was rejected.</summary>
    public HPackError Error { get; }

    private static string Describe(HPackError error) => error switch
    {
        HPackError.IndexZero => "HPACK: indexed header field with index 0 (RFC 7541 section 6.1).",
        HPackError.IndexOutOfRange => "HPACK: index beyond the static and dynamic tables (RFC 7541 section 2.3.3).",
        HPackError.IntegerOverflow => "HPACK: prefixed integer too large (RFC 7541 section 5.1).",
        HPackError.HuffmanPaddingTooLong => "HPACK: Huffman padding longer than 7 bits (RFC 7541 section 5.2).",
        HPackError.HuffmanInvalidPadding => "HPACK: Huffman padding is not the prefix of EOS (RFC 7541 section 5.2).",
        HPackError.HuffmanEos => "HPACK: EOS symbol inside a Huffman string (RFC 7541 section 5.2).",
        HPackError.StringTooLong => "HPACK: string literal longer than the decoder's limit.",
        HPackError.HeaderListTooLarge => "HPACK: header list larger than the decoder's limit.",
        HPackError.SizeUpdateTooLarge => "HPACK: dynamic table size update above SETTINGS_HEADER_TABLE_SIZE (RFC 7541 section 6.3).",
        HPackError.SizeUpdateNotAtBlockStart => "HPACK: dynamic table size update after a header field (RFC 7541 section 4.2).",
        HPackError.SizeUpdateMissing => "HPACK: required dynamic table size update missing at block start (RFC 7541 section 4.2).",
        HPackError.TruncatedBlock => "HPACK: header block ends inside a field representation.",
        _ => "HPACK: decoding error.",
    };
}
