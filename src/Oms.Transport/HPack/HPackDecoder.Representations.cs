namespace Oms.Transport.HPack;

/// <content>The field representations of RFC 7541 section 6: parsing their octets and emitting the fields.</content>
internal sealed partial class HPackDecoder
{
    // RFC 7541 section 6: the first octet's high bits select the representation: 1 indexed (6.1), 01 literal with
    // incremental indexing (6.2.1), 001 table size update (6.3), 0001 never indexed (6.2.3), 0000 without indexing (6.2.2).
    private void StartRepresentation<THandler>(byte first, ref THandler handler)
        where THandler : IHPackHeaderHandler, allows ref struct
    {
        if ((first & 0x80) != 0)
        {
            BeginField();
            if (_integer.BeginTryDecode(first, 7, out int index))
            {
                EmitIndexed(index, ref handler);
            }
            else
            {
                _state = State.IndexContinuation;
            }
        }
        else if ((first & 0x40) != 0)
        {
            BeginField();
            BeginLiteral(first, 6, HPackIndexing.Incremental);
        }
        else if ((first & 0x20) != 0)
        {
            // RFC 7541 section 4.2 and RFC 9113 section 4.3.1: size updates only before the block's first field.
            if (_fieldSeen)
            {
                ThrowHelper.ThrowDecoding(HPackError.SizeUpdateNotAtBlockStart);
            }

            if (_integer.BeginTryDecode(first, 5, out int size))
            {
                ApplySizeUpdate(size);
            }
            else
            {
                _state = State.SizeUpdateContinuation;
            }
        }
        else
        {
            BeginField();
            BeginLiteral(first, 4, (first & 0x10) != 0 ? HPackIndexing.NeverIndexed : HPackIndexing.WithoutIndexing);
        }
    }

    private void BeginField()
    {
        if (_sizeUpdateRequired)
        {
            ThrowHelper.ThrowDecoding(HPackError.SizeUpdateMissing);
        }

        _fieldSeen = true;
    }

    // RFC 7541 section 6.2.1 (6.2.2 and 6.2.3 alike, with a 4-bit prefix): the name's index, or 0 and a name string,
    // then the value string.
    private void BeginLiteral(byte first, int prefixBits, HPackIndexing indexing)
    {
        _indexing = indexing;
        if (!_integer.BeginTryDecode(first, prefixBits, out int nameIndex))
        {
            _state = State.NameIndexContinuation;
        }
        else if (nameIndex == 0)
        {
            _state = State.NameLength;
        }
        else
        {
            SetIndexedName(nameIndex);
            _state = State.ValueLength;
        }
    }

    private void SetIndexedName(int index)
    {
        if (index <= HPackStaticTable.Count)
        {
            _nameSource = NameSource.Static;
        }
        else if (index - HPackStaticTable.Count <= _table.Count)
        {
            _nameSource = NameSource.Dynamic;
        }
        else
        {
            ThrowHelper.ThrowDecoding(HPackError.IndexOutOfRange);
        }

        _nameIndex = index;
    }

    // RFC 7541 section 5.2: a string is an H (Huffman) bit and a 7-bit-prefix length, then that many octets.
    private bool BeginStringLength(byte first, out int length)
    {
        _stringHuffman = (first & 0x80) != 0;
        return _integer.BeginTryDecode(first, 7, out length);
    }

    private void BeginName(int length)
    {
        BeginString(length);
        if (length == 0)
        {
            _nameSource = NameSource.Buffer;
            _nameLength = 0;
            _state = State.ValueLength;
        }
        else
        {
            _state = State.Name;
        }
    }

    private void BeginValue<THandler>(int length, ReadOnlySpan<byte> data, ref THandler handler)
        where THandler : IHPackHeaderHandler, allows ref struct
    {
        BeginString(length);
        if (length == 0)
        {
            _valueInInput = false;
            _valueLength = 0;
            _state = State.Ready;
            EmitLiteral(data, ref handler);
        }
        else
        {
            _state = State.Value;
        }
    }

    private void BeginString(int length)
    {
        // Checked on the encoded length before any octet is buffered; the decoded length is checked again
        // when Huffman decoding writes into the target buffer.
        if (length > _maxStringLength)
        {
            ThrowHelper.ThrowDecoding(HPackError.StringTooLong);
        }

        _stringLength = length;
        _stringReceived = 0;
    }

    private bool TryReadString(
        ReadOnlySpan<byte> data, ref int pos, byte[] target, out bool inInput, out int offset, out int length)
    {
        int available = data.Length - pos;
        if (_stringReceived == 0 && available >= _stringLength)
        {
            // The whole string is in this call's input: a raw string is used where it lies, a Huffman string
            // is decoded straight into the target buffer.
            offset = pos;
            pos += _stringLength;
            if (!_stringHuffman)
            {
                inInput = true;
                length = _stringLength;
                return true;
            }

            inInput = false;
            length = DecodeHuffman(data.Slice(offset, _stringLength), target);
            offset = 0;
            return true;
        }

        int take = Math.Min(available, _stringLength - _stringReceived);
        byte[] destination = _stringHuffman ? _huffmanBuffer : target;
        data.Slice(pos, take).CopyTo(destination.AsSpan(_stringReceived));
        pos += take;
        _stringReceived += take;

        inInput = false;
        offset = 0;
        if (_stringReceived < _stringLength)
        {
            length = 0;
            return false;
        }

        length = _stringHuffman ? DecodeHuffman(_huffmanBuffer.AsSpan(0, _stringLength), target) : _stringLength;
        return true;
    }

    private static int DecodeHuffman(ReadOnlySpan<byte> encoded, byte[] target)
    {
        if (!HPackHuffman.TryDecode(encoded, target, out int length))
        {
            ThrowHelper.ThrowDecoding(HPackError.StringTooLong);
        }

        return length;
    }

    // RFC 7541 section 6.3:
    //
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 0 | 1 |   Max size (5+)   |
    // +---+---------------------------+
    private void ApplySizeUpdate(int size)
    {
        if (size > _maxSizeLimit)
        {
            ThrowHelper.ThrowDecoding(HPackError.SizeUpdateTooLarge);
        }

        _table.SetMaxSize(size);
        _sizeUpdateRequired = false;
    }

    // RFC 7541 section 6.1:
    //
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 1 |        Index (7+)         |
    // +---+---------------------------+
    private void EmitIndexed<THandler>(int index, ref THandler handler)
        where THandler : IHPackHeaderHandler, allows ref struct
    {
        ReadOnlySpan<byte> name;
        ReadOnlySpan<byte> value;
        if (index == 0)
        {
            ThrowHelper.ThrowDecoding(HPackError.IndexZero);
        }

        if (index <= HPackStaticTable.Count)
        {
            name = HPackStaticTable.GetName(index);
            value = HPackStaticTable.GetValue(index);
        }
        else
        {
            int dynamicIndex = index - HPackStaticTable.Count;
            if (dynamicIndex > _table.Count)
            {
                ThrowHelper.ThrowDecoding(HPackError.IndexOutOfRange);
            }

            name = _table.GetName(dynamicIndex);
            value = _table.GetValue(dynamicIndex);
        }

        AddToHeaderList(name.Length, value.Length);
        handler.OnHeader(name, value);
    }

    private void EmitLiteral<THandler>(ReadOnlySpan<byte> data, ref THandler handler)
        where THandler : IHPackHeaderHandler, allows ref struct
    {
        ReadOnlySpan<byte> name = _nameSource switch
        {
            NameSource.Static => HPackStaticTable.GetName(_nameIndex),
            NameSource.Dynamic => _table.GetName(_nameIndex - HPackStaticTable.Count),
            NameSource.Input => data.Slice(_nameOffset, _nameLength),
            _ => _nameBuffer.AsSpan(0, _nameLength),
        };
        ReadOnlySpan<byte> value = _valueInInput
            ? data.Slice(_valueOffset, _valueLength)
            : _valueBuffer.AsSpan(0, _valueLength);
        _nameSource = NameSource.None;

        AddToHeaderList(name.Length, value.Length);
        handler.OnHeader(name, value);

        if (_indexing == HPackIndexing.Incremental)
        {
            // The table copes with a name that points into itself, even into an entry this insert evicts
            // (RFC 7541 section 4.4).
            _table.Add(name, value);
        }
    }

    private void AddToHeaderList(int nameLength, int valueLength)
    {
        long size = (long)_headerListSize + nameLength + valueLength + HPackDynamicTable.EntryOverhead;
        if (size > _maxHeaderListSize)
        {
            ThrowHelper.ThrowDecoding(HPackError.HeaderListTooLarge);
        }

        _headerListSize = (int)size;
    }
}
