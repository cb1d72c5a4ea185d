namespace Oms.Transport.HPack;

/// <summary>
/// Encodes header fields into HPACK (RFC 7541), one connection's encoding context: it keeps its own copy of
/// the dynamic table the peer's decoder builds from what it sends.
/// </summary>
/// <remarks>
/// <para>
/// Every writer is a try-function: it writes into a <see cref="Span{T}"/>, returns false when the span is too
/// short and then leaves the encoder's state unchanged (the span's content is unspecified). No writer
/// allocates.
/// </para>
/// <para>
/// Header blocks: call <see cref="TryBeginHeaderBlock"/> first in every block. It writes the dynamic table
/// size update(s) owed since <see cref="SetMaxTableSize"/> changed the size (RFC 7541 section 4.2), or nothing.
/// While an update is owed, the field writers throw <see cref="InvalidOperationException"/>: a field sent
/// before the update would be decoded against the wrong table.
/// </para>
/// <para>
/// Reusing encoded bytes: a field inserted with <see cref="HPackIndexing.Incremental"/> is afterwards found by
/// <see cref="TryEncodeHeader"/> and sent as an indexed field (one or two octets). Those indexed bytes stay
/// valid for as long as the entry stays in the table, i.e. while nothing else is inserted that evicts it and
/// the table size does not change. A caller that caches an encoded block can check that with
/// <see cref="TryGetIndex"/>, <see cref="DynamicTableCount"/> and <see cref="DynamicTableSize"/>, or simply
/// encode its varying fields without indexing so that the table never changes after the first block.
/// </para>
/// <para>
/// Single-threaded: the one thread that writes the connection's frames owns the encoder.
/// </para>
/// </remarks>
internal sealed class HPackEncoder
{
    /// <summary>The initial SETTINGS_HEADER_TABLE_SIZE of RFC 9113 section 6.5.2.</summary>
    public const int DefaultMaxTableSize = 4096;

    private readonly HPackDynamicTable _table;
    private readonly int _maxTableSizeCap;
    private bool _sizeUpdatePending;
    private int _smallestPendingSize;

    /// <summary>Creates an encoder with an empty dynamic table.</summary>
    /// <param name="maxTableSize">
    /// The dynamic table size both sides start with, without any size update being sent: the peer's
    /// SETTINGS_HEADER_TABLE_SIZE as known now (4096 until its SETTINGS say otherwise). It is also the most
    /// this encoder will ever use: storage for it is allocated here.
    /// </param>
    public HPackEncoder(int maxTableSize = DefaultMaxTableSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTableSize);
        _maxTableSizeCap = maxTableSize;
        _table = new HPackDynamicTable(maxTableSize);
    }

    /// <summary>The dynamic table's maximum size in use (RFC 7541 section 4.2).</summary>
    public int MaxTableSize => _table.MaxSize;

    /// <summary>The largest table size this encoder uses, whatever the peer allows: the constructor's value.</summary>
    public int MaxTableSizeCap => _maxTableSizeCap;

    /// <summary>The number of entries in the dynamic table.</summary>
    public int DynamicTableCount => _table.Count;

    /// <summary>The dynamic table's current size: name + value + 32 over its entries (RFC 7541 section 4.1).</summary>
    public int DynamicTableSize => _table.Size;

    /// <summary>True when the next <see cref="TryBeginHeaderBlock"/> must write a dynamic table size update.</summary>
    public bool IsSizeUpdatePending => _sizeUpdatePending;

    /// <summary>The dynamic table itself, for tests and diagnostics.</summary>
    internal HPackDynamicTable DynamicTable => _table;

    /// <summary>
    /// Applies the peer's SETTINGS_HEADER_TABLE_SIZE: the table size becomes the smaller of it and
    /// <see cref="MaxTableSizeCap"/>. A change evicts entries at once and is announced at the start of the
    /// next header block (<see cref="TryBeginHeaderBlock"/>).
    /// </summary>
    /// <param name="peerHeaderTableSize">The value of the peer's SETTINGS_HEADER_TABLE_SIZE.</param>
    public void SetMaxTableSize(int peerHeaderTableSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(peerHeaderTableSize);
        int size = Math.Min(peerHeaderTableSize, _maxTableSizeCap);
        if (size == _table.MaxSize && !_sizeUpdatePending)
        {
            return;
        }

        // RFC 7541 section 4.2: after several changes, the smallest size must be signalled before the final one,
        // because the evictions it caused are already done here.
        _smallestPendingSize = _sizeUpdatePending ? Math.Min(_smallestPendingSize, size) : size;
        _sizeUpdatePending = true;
        _table.SetMaxSize(size);
    }

    /// <summary>
    /// Starts a header block: writes the dynamic table size update(s) owed since the last block, if any.
    /// </summary>
    /// <param name="destination">Where the block starts.</param>
    /// <param name="bytesWritten">Octets written: 0 when no update is owed.</param>
    /// <returns>False when <paramref name="destination"/> is too short; the update stays owed.</returns>
    public bool TryBeginHeaderBlock(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!_sizeUpdatePending)
        {
            return true;
        }

        int written = 0;
        if (_smallestPendingSize < _table.MaxSize)
        {
            if (!TryWriteDynamicTableSizeUpdate(_smallestPendingSize, destination, out written))
            {
                return false;
            }
        }

        if (!TryWriteDynamicTableSizeUpdate(_table.MaxSize, destination[written..], out int finalWritten))
        {
            return false;
        }

        _sizeUpdatePending = false;
        bytesWritten = written + finalWritten;
        return true;
    }

    /// <summary>
    /// Encodes one field the cheapest way the tables allow: an indexed field when the static table or this
    /// encoder's dynamic table holds the same name and value (unless <paramref name="indexing"/> is
    /// <see cref="HPackIndexing.NeverIndexed"/>), else a literal whose name is indexed when a table holds the
    /// name (the static table first), else a literal with a new name.
    /// </summary>
    /// <param name="name">The field name, lowercase as HTTP/2 requires (RFC 9113 section 8.2.1); not validated.</param>
    /// <param name="value">The field value.</param>
    /// <param name="indexing">
    /// What a literal does to the dynamic table. With <see cref="HPackIndexing.Incremental"/> the field is added,
    /// so the next identical field becomes an indexed one.
    /// </param>
    /// <param name="huffman">Huffman-code each literal string unless that would make it longer.</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">Octets written; 0 when this returns false.</param>
    /// <returns>False when <paramref name="destination"/> is too short; the table is then unchanged.</returns>
    /// <exception cref="InvalidOperationException">A size update is owed: call <see cref="TryBeginHeaderBlock"/> first.</exception>
    public bool TryEncodeHeader(
        ReadOnlySpan<byte> name,
        ReadOnlySpan<byte> value,
        HPackIndexing indexing,
        bool huffman,
        Span<byte> destination,
        out int bytesWritten)
    {
        ThrowIfSizeUpdatePending();
        int index = Find(name, value, out int nameIndex);
        if (index != 0 && indexing != HPackIndexing.NeverIndexed)
        {
            return HPackInteger.TryEncode(index, 7, 0x80, destination, out bytesWritten);
        }

        return TryWriteLiteralAndIndex(nameIndex, name, value, indexing, huffman, destination, out bytesWritten);
    }

    /// <summary>
    /// Looks for a field in the static table and this encoder's dynamic table: whether sending it now would
    /// take an indexed field, and at which index.
    /// </summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The field value.</param>
    /// <param name="index">The index (1-61 static, 62 and up dynamic), or 0.</param>
    /// <returns>True when a table holds the exact field.</returns>
    public bool TryGetIndex(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out int index)
    {
        index = Find(name, value, out _);
        return index != 0;
    }

    /// <summary>Looks for a field name: the index a literal with an indexed name would use.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="index">The lowest static index with this name, else the dynamic index of the newest entry with it, or 0.</param>
    /// <returns>True when a table holds the name.</returns>
    public bool TryGetNameIndex(ReadOnlySpan<byte> name, out int index)
    {
        Find(name, [], out index);
        return index != 0;
    }

    // RFC 7541 section 6.1:
    //
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 1 |        Index (7+)         |
    // +---+---------------------------+

    /// <summary>Writes an Indexed Header Field (RFC 7541 section 6.1).</summary>
    /// <param name="index">An index in the static table (1-61) or this encoder's dynamic table (62 and up).</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">Octets written; 0 when this returns false.</param>
    /// <returns>False when <paramref name="destination"/> is too short.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in either table.</exception>
    /// <exception cref="InvalidOperationException">A size update is owed: call <see cref="TryBeginHeaderBlock"/> first.</exception>
    public bool TryWriteIndexed(int index, Span<byte> destination, out int bytesWritten)
    {
        ThrowIfSizeUpdatePending();
        ValidateIndex(index);
        return HPackInteger.TryEncode(index, 7, 0x80, destination, out bytesWritten);
    }

    /// <summary>
    /// Writes a literal header field whose name is given by index (RFC 7541 section 6.2, "Indexed Name" forms). With
    /// <see cref="HPackIndexing.Incremental"/> the field is added to this encoder's dynamic table.
    /// </summary>
    /// <param name="nameIndex">The index of an entry with the wanted name, static (1-61) or dynamic (62 and up).</param>
    /// <param name="value">The field value.</param>
    /// <param name="indexing">Which of the three literal representations.</param>
    /// <param name="huffman">Huffman-code the value unless that would make it longer.</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">Octets written; 0 when this returns false.</param>
    /// <returns>False when <paramref name="destination"/> is too short; the table is then unchanged.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nameIndex"/> is not in either table.</exception>
    /// <exception cref="InvalidOperationException">A size update is owed: call <see cref="TryBeginHeaderBlock"/> first.</exception>
    public bool TryWriteLiteralIndexedName(
        int nameIndex,
        ReadOnlySpan<byte> value,
        HPackIndexing indexing,
        bool huffman,
        Span<byte> destination,
        out int bytesWritten)
    {
        ThrowIfSizeUpdatePending();
        ValidateIndex(nameIndex);

        // Only a field that goes into the table needs its name; the wire carries the index.
        ReadOnlySpan<byte> name = indexing != HPackIndexing.Incremental ? []
            : nameIndex <= HPackStaticTable.Count ? HPackStaticTable.GetName(nameIndex)
            : _table.GetName(nameIndex - HPackStaticTable.Count);
        return TryWriteLiteralAndIndex(nameIndex, name, value, indexing, huffman, destination, out bytesWritten);
    }

    /// <summary>
    /// Writes a literal header field with a literal name (RFC 7541 section 6.2, "New Name" forms). With
    /// <see cref="HPackIndexing.Incremental"/> the field is added to this encoder's dynamic table.
    /// </summary>
    /// <param name="name">The field name, lowercase as HTTP/2 requires; not validated.</param>
    /// <param name="value">The field value.</param>
    /// <param name="indexing">Which of the three literal representations.</param>
    /// <param name="huffman">Huffman-code the name and the value, each unless that would make it longer.</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">Octets written; 0 when this returns false.</param>
    /// <returns>False when <paramref name="destination"/> is too short; the table is then unchanged.</returns>
    /// <exception cref="InvalidOperationException">A size update is owed: call <see cref="TryBeginHeaderBlock"/> first.</exception>
    public bool TryWriteLiteralNewName(
        ReadOnlySpan<byte> name,
        ReadOnlySpan<byte> value,
        HPackIndexing indexing,
        bool huffman,
        Span<byte> destination,
        out int bytesWritten)
    {
        ThrowIfSizeUpdatePending();
        return TryWriteLiteralAndIndex(0, name, value, indexing, huffman, destination, out bytesWritten);
    }

    // A literal and, with incremental indexing, the same field added to this encoder's table, as the peer's decoder
    // adds it on reading (RFC 7541 section 6.2.1); nothing is added when the literal does not fit.
    private bool TryWriteLiteralAndIndex(
        int nameIndex,
        ReadOnlySpan<byte> name,
        ReadOnlySpan<byte> value,
        HPackIndexing indexing,
        bool huffman,
        Span<byte> destination,
        out int bytesWritten)
    {
        if (!TryWriteLiteral(nameIndex, name, value, indexing, huffman, destination, out bytesWritten))
        {
            return false;
        }

        if (indexing == HPackIndexing.Incremental)
        {
            _table.Add(name, value);
        }

        return true;
    }

    // RFC 7541 section 6.3:
    //
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 0 | 1 |   Max size (5+)   |
    // +---+---------------------------+

    /// <summary>
    /// Writes a Dynamic Table Size Update (RFC 7541 section 6.3). Wire bytes only: an encoder instance announces its
    /// own size changes through <see cref="TryBeginHeaderBlock"/>.
    /// </summary>
    /// <param name="maxSize">The new maximum size.</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">Octets written; 0 when this returns false.</param>
    /// <returns>False when <paramref name="destination"/> is too short.</returns>
    public static bool TryWriteDynamicTableSizeUpdate(int maxSize, Span<byte> destination, out int bytesWritten)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        return HPackInteger.TryEncode(maxSize, 5, 0x20, destination, out bytesWritten);
    }

    // RFC 7541 sections 6.2.1, 6.2.2 and 6.2.3: pattern 01 with a 6-bit index, 0000 or 0001 with a 4-bit index;
    // index 0 means a name string follows.
    //
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 1 |      Index (6+)       |
    // +---+---+-----------------------+
    // | H |     Value Length (7+)     |
    // +---+---------------------------+
    // | Value String (Length octets)  |
    // +-------------------------------+
    private static bool TryWriteLiteral(
        int nameIndex,
        ReadOnlySpan<byte> name,
        ReadOnlySpan<byte> value,
        HPackIndexing indexing,
        bool huffman,
        Span<byte> destination,
        out int bytesWritten)
    {
        if ((uint)indexing > (uint)HPackIndexing.NeverIndexed)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(indexing), "Not an HPackIndexing value.");
        }

        bool headerWritten = indexing == HPackIndexing.Incremental
            ? HPackInteger.TryEncode(nameIndex, 6, 0x40, destination, out bytesWritten)
            : HPackInteger.TryEncode(nameIndex, 4, indexing == HPackIndexing.NeverIndexed ? (byte)0x10 : (byte)0x00, destination, out bytesWritten);
        if (!headerWritten)
        {
            return false;
        }

        int written = bytesWritten;
        int stringWritten;
        if (nameIndex == 0)
        {
            if (!TryWriteString(name, huffman, destination[written..], out stringWritten))
            {
                bytesWritten = 0;
                return false;
            }

            written += stringWritten;
        }

        if (!TryWriteString(value, huffman, destination[written..], out stringWritten))
        {
            bytesWritten = 0;
            return false;
        }

        bytesWritten = written + stringWritten;
        return true;
    }

    // RFC 7541 section 5.2:
    //
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | H |    String Length (7+)     |
    // +---+---------------------------+
    // |  String Data (Length octets)  |
    // +-------------------------------+
    private static bool TryWriteString(ReadOnlySpan<byte> source, bool huffman, Span<byte> destination, out int bytesWritten)
    {
        // On a tie Huffman wins, as in RFC 7541 C.6.2 ("307"), so the RFC's bytes can be reproduced.
        if (huffman)
        {
            int encodedLength = HPackHuffman.GetEncodedLength(source);
            if (encodedLength <= source.Length)
            {
                if (!HPackInteger.TryEncode(encodedLength, 7, 0x80, destination, out int prefixLength)
                    || !HPackHuffman.TryEncode(source, destination[prefixLength..], out int huffmanLength))
                {
                    bytesWritten = 0;
                    return false;
                }

                Debug.Assert(huffmanLength == encodedLength);
                bytesWritten = prefixLength + huffmanLength;
                return true;
            }
        }

        if (!HPackInteger.TryEncode(source.Length, 7, 0x00, destination, out int lengthLength)
            || !source.TryCopyTo(destination[lengthLength..]))
        {
            bytesWritten = 0;
            return false;
        }

        bytesWritten = lengthLength + source.Length;
        return true;
    }

    private int Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out int nameIndex)
    {
        int index = HPackStaticTable.Find(name, value, out nameIndex);
        if (index != 0)
        {
            return index;
        }

        int dynamicIndex = _table.Find(name, value, out int dynamicNameIndex);
        if (nameIndex == 0 && dynamicNameIndex != 0)
        {
            nameIndex = HPackStaticTable.Count + dynamicNameIndex;
        }

        return dynamicIndex == 0 ? 0 : HPackStaticTable.Count + dynamicIndex;
    }

    private void ValidateIndex(int index)
    {
        if (index < 1 || index > HPackStaticTable.Count + _table.Count)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index), "Not an index in the static or dynamic table.");
        }
    }

    private void ThrowIfSizeUpdatePending()
    {
        if (_sizeUpdatePending)
        {
            ThrowHelper.ThrowInvalidOperation(
                "A dynamic table size update is owed: call TryBeginHeaderBlock at the start of the header block.");
        }
    }
}
