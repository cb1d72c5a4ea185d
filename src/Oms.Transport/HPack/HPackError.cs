namespace Oms.Transport.HPack;

/// <summary>
/// Why a header block could not be decoded. Every value is a COMPRESSION_ERROR at the HTTP/2 level
/// (RFC 9113 section 4.3): the connection that saw it is finished.
/// </summary>
internal enum HPackError
{
    /// <summary>No error; never carried by an <see cref="HPackDecodingException"/>.</summary>
    None = 0,

    /// <summary>An indexed header field used index 0 (RFC 7541 section 6.1: "The index value of 0 is not used").</summary>
    IndexZero,

    /// <summary>An index beyond the static table plus the current dynamic table (RFC 7541 section 2.3.3).</summary>
    IndexOutOfRange,

    /// <summary>A prefixed integer above <see cref="int.MaxValue"/> or with more than five continuation octets (RFC 7541 section 5.1).</summary>
    IntegerOverflow,

    /// <summary>A Huffman string ended with more than 7 bits of padding (RFC 7541 section 5.2).</summary>
    HuffmanPaddingTooLong,

    /// <summary>A Huffman string's padding was not the most significant bits of EOS, i.e. not all 1s (RFC 7541 section 5.2).</summary>
    HuffmanInvalidPadding,

    /// <summary>A Huffman string contained the EOS symbol (RFC 7541 section 5.2).</summary>
    HuffmanEos,

    /// <summary>A string literal longer than the decoder's string limit, before or after Huffman decoding.</summary>
    StringTooLong,

    /// <summary>The header list exceeded the decoder's limit, counting name + value + 32 per field (RFC 9113 section 6.5.2).</summary>
    HeaderListTooLarge,

    /// <summary>A dynamic table size update above the limit we advertised in SETTINGS_HEADER_TABLE_SIZE (RFC 7541 section 6.3).</summary>
    SizeUpdateTooLarge,

    /// <summary>A dynamic table size update after the first field of a header block (RFC 7541 section 4.2, RFC 9113 section 4.3.1).</summary>
    SizeUpdateNotAtBlockStart,

    /// <summary>
    /// Our SETTINGS_HEADER_TABLE_SIZE went below the table size in use and the next header block did not start
    /// with a dynamic table size update (RFC 7541 section 4.2).
    /// </summary>
    SizeUpdateMissing,

    /// <summary>The header block ended (END_HEADERS) in the middle of a field representation.</summary>
    TruncatedBlock,
}
