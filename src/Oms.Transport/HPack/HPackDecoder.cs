namespace Oms.Transport.HPack;

/// <summary>
/// Decodes HPACK header blocks (RFC 7541) into header fields, one connection's decoding context.
/// </summary>
/// <remarks>
/// Resumable: a header block may arrive in pieces split anywhere (pass <c>endHeaders: true</c> with the last). Partial
/// strings wait in buffers made by the constructor, so decoding allocates nothing. The reader thread owns it. A
/// violation throws <see cref="HPackDecodingException"/> before the field reaches the handler, and the connection must
/// close with COMPRESSION_ERROR (RFC 9113 section 4.3). <see cref="Reset"/> readies it for a new connection.
/// </remarks>
internal sealed partial class HPackDecoder
{
    /// <summary>The initial SETTINGS_HEADER_TABLE_SIZE of RFC 9113 section 6.5.2, the dynamic table size a connection starts with.</summary>
    public const int DefaultHeaderTableSize = 4096;

    private readonly HPackDynamicTable _table;
    private readonly byte[] _nameBuffer;
    private readonly byte[] _valueBuffer;
    private readonly byte[] _huffmanBuffer;
    private readonly int _maxHeaderListSize;
    private readonly int _maxStringLength;
    private readonly int _initialHeaderTableSize;

    private int _maxSizeLimit;
    private bool _sizeUpdateRequired;

    // Header block state.
    private bool _fieldSeen;
    private int _headerListSize;

    // Field representation state.
    private State _state;
    private HPackIntegerDecoder _integer;
    private HPackIndexing _indexing;
    private NameSource _nameSource;
    private int _nameIndex;
    private int _nameOffset;
    private int _nameLength;
    private bool _valueInInput;
    private int _valueOffset;
    private int _valueLength;
    private bool _stringHuffman;
    private int _stringLength;
    private int _stringReceived;

    /// <summary>Creates a decoder whose string limit equals its header list limit.</summary>
    /// <param name="maxHeaderListSize">
    /// The largest header list accepted, counting name + value + 32 per field (what we advertise as
    /// SETTINGS_MAX_HEADER_LIST_SIZE, RFC 9113 section 6.5.2).
    /// </param>
    public HPackDecoder(int maxHeaderListSize)
        : this(maxHeaderListSize, maxHeaderListSize)
    {
    }

    /// <summary>Creates a decoder.</summary>
    /// <param name="maxHeaderListSize">
    /// The largest header list accepted, counting name + value + 32 per field (what we advertise as
    /// SETTINGS_MAX_HEADER_LIST_SIZE, RFC 9113 section 6.5.2).
    /// </param>
    /// <param name="maxStringLength">
    /// The longest name or value accepted, after Huffman decoding. Three buffers of this size are allocated
    /// here: for the name, for the value, and for a Huffman string split across calls.
    /// </param>
    /// <param name="initialHeaderTableSize">
    /// The SETTINGS_HEADER_TABLE_SIZE in force when the connection starts: both the dynamic table's maximum
    /// size and <see cref="MaxDynamicTableSizeLimit"/> until changed. HTTP/2 starts every connection at
    /// <see cref="DefaultHeaderTableSize"/> (RFC 9113 section 6.5.2); other values serve tests and RFC 7541's examples.
    /// </param>
    public HPackDecoder(int maxHeaderListSize, int maxStringLength, int initialHeaderTableSize = DefaultHeaderTableSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeaderListSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxStringLength);
        ArgumentOutOfRangeException.ThrowIfNegative(initialHeaderTableSize);
        _maxHeaderListSize = maxHeaderListSize;
        _maxStringLength = maxStringLength;
        _initialHeaderTableSize = initialHeaderTableSize;
        _maxSizeLimit = initialHeaderTableSize;
        _nameBuffer = new byte[maxStringLength];
        _valueBuffer = new byte[maxStringLength];
        _huffmanBuffer = new byte[maxStringLength];
        _table = new HPackDynamicTable(initialHeaderTableSize);
    }

    private enum State : byte
    {
        Ready,
        IndexContinuation,
        NameIndexContinuation,
        SizeUpdateContinuation,
        NameLength,
        NameLengthContinuation,
        Name,
        ValueLength,
        ValueLengthContinuation,
        Value,
    }

    private enum NameSource : byte
    {
        None,
        Static,
        Dynamic,
        Input,
        Buffer,
    }

    /// <summary>
    /// The largest dynamic table size the peer's encoder may choose: the SETTINGS_HEADER_TABLE_SIZE we
    /// advertised. Starts at the constructor's initial header table size.
    /// </summary>
    /// <remarks>
    /// Set it when the peer acknowledges the SETTINGS frame that carries the new value. If the new limit is
    /// below the table size in use, the next header block must start with a dynamic table size update
    /// (RFC 7541 section 4.2), or decoding fails with <see cref="HPackError.SizeUpdateMissing"/>. Raising it above
    /// every earlier value allocates the larger table storage at this point.
    /// </remarks>
    public int MaxDynamicTableSizeLimit
    {
        get => _maxSizeLimit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _table.EnsureCapacity(value);
            _maxSizeLimit = value;
            _sizeUpdateRequired = value < _table.MaxSize;
        }
    }

    /// <summary>The dynamic table's maximum size, as last set by the peer's size update (RFC 7541 section 4.2).</summary>
    public int DynamicTableMaxSize => _table.MaxSize;

    /// <summary>The dynamic table's current size: name + value + 32 over its entries (RFC 7541 section 4.1).</summary>
    public int DynamicTableSize => _table.Size;

    /// <summary>The number of entries in the dynamic table.</summary>
    public int DynamicTableCount => _table.Count;

    /// <summary>The header list limit given to the constructor.</summary>
    public int MaxHeaderListSize => _maxHeaderListSize;

    /// <summary>The string length limit given to the constructor.</summary>
    public int MaxStringLength => _maxStringLength;

    /// <summary>The dynamic table itself, for tests and diagnostics.</summary>
    internal HPackDynamicTable DynamicTable => _table;

    /// <summary>Decodes the next piece of a header block, passing complete fields to <paramref name="handler"/>.</summary>
    /// <param name="data">The next octets of the block; any length, split anywhere.</param>
    /// <param name="endHeaders">True for the last piece of the block (the frame carried END_HEADERS).</param>
    /// <param name="handler">Receives each field as soon as it is complete.</param>
    /// <exception cref="HPackDecodingException">The block is malformed or exceeds a limit.</exception>
    public void Decode(ReadOnlySpan<byte> data, bool endHeaders, IHPackHeaderHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Decode(data, endHeaders, ref handler);
    }

    /// <summary>
    /// Decodes the next piece of a header block, passing complete fields to <paramref name="handler"/>; the
    /// generic form lets a struct handler be called without an interface dispatch.
    /// </summary>
    /// <typeparam name="THandler">The handler type; may be a struct or a ref struct.</typeparam>
    /// <param name="data">The next octets of the block; any length, split anywhere.</param>
    /// <param name="endHeaders">True for the last piece of the block (the frame carried END_HEADERS).</param>
    /// <param name="handler">Receives each field as soon as it is complete.</param>
    /// <exception cref="HPackDecodingException">The block is malformed or exceeds a limit.</exception>
    public void Decode<THandler>(ReadOnlySpan<byte> data, bool endHeaders, ref THandler handler)
        where THandler : IHPackHeaderHandler, allows ref struct
    {
        int pos = 0;
        while (pos < data.Length)
        {
            int length;
            switch (_state)
            {
                case State.Ready:
                    StartRepresentation(data[pos++], ref handler);
                    break;

                case State.IndexContinuation:
                    if (_integer.TryDecode(data[pos++], out int index))
                    {
                        _state = State.Ready;
                        EmitIndexed(index, ref handler);
                    }

                    break;

                case State.NameIndexContinuation:
                    if (_integer.TryDecode(data[pos++], out int nameIndex))
                    {
                        SetIndexedName(nameIndex);
                        _state = State.ValueLength;
                    }

                    break;

                case State.SizeUpdateContinuation:
                    if (_integer.TryDecode(data[pos++], out int size))
                    {
                        _state = State.Ready;
                        ApplySizeUpdate(size);
                    }

                    break;

                case State.NameLength:
                    if (BeginStringLength(data[pos++], out length))
                    {
                        BeginName(length);
                    }
                    else
                    {
                        _state = State.NameLengthContinuation;
                    }

                    break;

                case State.NameLengthContinuation:
                    if (_integer.TryDecode(data[pos++], out length))
                    {
                        BeginName(length);
                    }

                    break;

                case State.Name:
                    if (TryReadString(data, ref pos, _nameBuffer, out bool nameInInput, out _nameOffset, out _nameLength))
                    {
                        _nameSource = nameInInput ? NameSource.Input : NameSource.Buffer;
                        _state = State.ValueLength;
                    }

                    break;

                case State.ValueLength:
                    if (BeginStringLength(data[pos++], out length))
                    {
                        BeginValue(length, data, ref handler);
                    }
                    else
                    {
                        _state = State.ValueLengthContinuation;
                    }

                    break;

                case State.ValueLengthContinuation:
                    if (_integer.TryDecode(data[pos++], out length))
                    {
                        BeginValue(length, data, ref handler);
                    }

                    break;

                default:
                    Debug.Assert(_state == State.Value);
                    if (TryReadString(data, ref pos, _valueBuffer, out _valueInInput, out _valueOffset, out _valueLength))
                    {
                        _state = State.Ready;
                        EmitLiteral(data, ref handler);
                    }

                    break;
            }
        }

        // A name read straight from this call's input must survive until the value arrives in a later call.
        if (_nameSource == NameSource.Input)
        {
            data.Slice(_nameOffset, _nameLength).CopyTo(_nameBuffer);
            _nameSource = NameSource.Buffer;
        }

        if (endHeaders)
        {
            if (_state != State.Ready)
            {
                ThrowHelper.ThrowDecoding(HPackError.TruncatedBlock);
            }

            _fieldSeen = false;
            _headerListSize = 0;
        }
    }

    /// <summary>
    /// Returns to the state of a newly constructed decoder, for a new connection: no partial block, an empty
    /// dynamic table whose maximum size and limit are the constructor's initial header table size.
    /// </summary>
    public void Reset()
    {
        _state = State.Ready;
        _nameSource = NameSource.None;
        _fieldSeen = false;
        _headerListSize = 0;
        _maxSizeLimit = _initialHeaderTableSize;
        _sizeUpdateRequired = false;
        _table.Clear();
        _table.SetMaxSize(_initialHeaderTableSize);
    }
}
