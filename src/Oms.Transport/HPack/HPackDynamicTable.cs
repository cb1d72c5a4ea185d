namespace Oms.Transport.HPack;

/// <summary>
/// The HPACK dynamic table (RFC 7541 sections 2.3.2 and 4): a FIFO of header fields, newest at index 1, whose size is
/// the sum of name length + value length + 32 over its entries and never exceeds <see cref="MaxSize"/>.
/// </summary>
/// <remarks>
/// <para>
/// Storage is allocated up front: the octets of all entries live in one byte buffer of twice the maximum
/// size, oldest first, and the entries' offsets in a ring sized for the most entries the maximum size allows
/// (each costs at least 32). Adding appends after the newest entry; when the buffer's end is reached the live
/// octets are moved back to its start. Live octets never exceed the maximum size, so after the move there is
/// always room for the new entry, and a move happens at most once per maximum size of octets added.
/// </para>
/// <para>
/// Single-threaded: the owner (one encoder or one decoder) is the only caller. Spans returned by the
/// accessors are valid until the next <see cref="Add"/>, <see cref="SetMaxSize"/> or <see cref="Clear"/>.
/// </para>
/// </remarks>
internal sealed class HPackDynamicTable
{
    /// <summary>The per-entry overhead of RFC 7541 section 4.1.</summary>
    public const int EntryOverhead = 32;

    private byte[] _buffer;
    private EntryLocation[] _entries;
    private int _oldest;
    private int _count;
    private int _end;
    private int _size;
    private int _maxSize;

    /// <summary>Creates an empty table whose maximum size, and storage, is <paramref name="maxSize"/>.</summary>
    /// <param name="maxSize">The maximum size in RFC 7541 section 4.1 units.</param>
    public HPackDynamicTable(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        _maxSize = maxSize;
        _buffer = new byte[2 * maxSize];
        _entries = new EntryLocation[(maxSize / EntryOverhead) + 1];
    }

    /// <summary>Number of entries.</summary>
    public int Count => _count;

    /// <summary>Current size: name + value + 32 summed over the entries (RFC 7541 section 4.1).</summary>
    public int Size => _size;

    /// <summary>The maximum size (RFC 7541 section 4.2).</summary>
    public int MaxSize => _maxSize;

    /// <summary>The largest maximum size the current storage holds without reallocating.</summary>
    public int Capacity => _buffer.Length / 2;

    /// <summary>The size an entry would take (RFC 7541 section 4.1).</summary>
    public static int GetEntrySize(int nameLength, int valueLength) => nameLength + valueLength + EntryOverhead;

    /// <summary>The name of entry <paramref name="index"/>, 1 being the newest.</summary>
    public ReadOnlySpan<byte> GetName(int index)
    {
        ref readonly EntryLocation entry = ref GetLocation(index);
        return new ReadOnlySpan<byte>(_buffer, entry.Offset, entry.NameLength);
    }

    /// <summary>The value of entry <paramref name="index"/>, 1 being the newest.</summary>
    public ReadOnlySpan<byte> GetValue(int index)
    {
        ref readonly EntryLocation entry = ref GetLocation(index);
        return new ReadOnlySpan<byte>(_buffer, entry.Offset + entry.NameLength, entry.ValueLength);
    }

    /// <summary>
    /// Finds the newest entry equal to (<paramref name="name"/>, <paramref name="value"/>), and the newest
    /// entry with that name.
    /// </summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The field value.</param>
    /// <param name="nameIndex">The index (1 = newest) of the newest entry with that name, or 0.</param>
    /// <returns>The index of the full match, or 0.</returns>
    public int Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out int nameIndex)
    {
        nameIndex = 0;
        for (int index = 1; index <= _count; index++)
        {
            ref readonly EntryLocation entry = ref GetLocation(index);
            if (entry.NameLength != name.Length
                || !name.SequenceEqual(new ReadOnlySpan<byte>(_buffer, entry.Offset, entry.NameLength)))
            {
                continue;
            }

            if (nameIndex == 0)
            {
                nameIndex = index;
            }

            if (entry.ValueLength == value.Length
                && value.SequenceEqual(new ReadOnlySpan<byte>(_buffer, entry.Offset + entry.NameLength, entry.ValueLength)))
            {
                return index;
            }
        }

        return 0;
    }

    /// <summary>
    /// Adds a field as the newest entry, evicting the oldest ones until it fits (RFC 7541 section 4.4). A field larger
    /// than the maximum size empties the table and is not added; that is not an error.
    /// </summary>
    /// <param name="name">The name. May point into this table (a name referenced by index, RFC 7541 section 4.4).</param>
    /// <param name="value">The value. May point into this table too.</param>
    /// <returns>True when the field was added.</returns>
    public bool Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        int entrySize = GetEntrySize(name.Length, value.Length);
        if (entrySize > _maxSize)
        {
            Clear();
            return false;
        }

        // Eviction is only bookkeeping: the evicted octets stay in the buffer until overwritten, which is what
        // keeps a name taken from an evicted entry readable below.
        while (_size + entrySize > _maxSize)
        {
            EvictOldest();
        }

        int length = name.Length + value.Length;
        if (_end + length > _buffer.Length)
        {
            // Keep the live entries and whatever the new entry is copied from. Both lie within the octets
            // that were live before eviction (at most MaxSize), so the move leaves room for the new entry.
            int keepFrom = _count == 0 ? _end : _entries[_oldest].Offset;
            keepFrom = Math.Min(keepFrom, OffsetInBuffer(name, keepFrom));
            keepFrom = Math.Min(keepFrom, OffsetInBuffer(value, keepFrom));
            name = Rebase(name, keepFrom);
            value = Rebase(value, keepFrom);
            Compact(keepFrom);
        }

        Debug.Assert(_end + length <= _buffer.Length);
        int offset = _end;

        // Overlap-safe copies: a source inside the buffer lies below _end, and the destination starts at _end.
        name.CopyTo(_buffer.AsSpan(offset));
        value.CopyTo(_buffer.AsSpan(offset + name.Length));
        _end = offset + length;

        int slot = _oldest + _count;
        if (slot >= _entries.Length)
        {
            slot -= _entries.Length;
        }

        _entries[slot] = new EntryLocation(offset, name.Length, value.Length);
        _count++;
        _size += entrySize;
        return true;
    }

    /// <summary>
    /// Sets the maximum size (a dynamic table size update, RFC 7541 section 4.3), evicting the oldest entries until
    /// the size fits. Growing beyond <see cref="Capacity"/> reallocates the storage: that happens only when a
    /// SETTINGS change raises the limit, never on a header block's hot path.
    /// </summary>
    /// <param name="maxSize">The new maximum size.</param>
    public void SetMaxSize(int maxSize)
    {
        EnsureCapacity(maxSize);
        _maxSize = maxSize;
        while (_size > _maxSize)
        {
            EvictOldest();
        }
    }

    /// <summary>
    /// Makes sure a later <see cref="SetMaxSize"/> up to <paramref name="maxSize"/> will not allocate; the
    /// maximum size itself is unchanged.
    /// </summary>
    /// <param name="maxSize">The largest maximum size to prepare for.</param>
    public void EnsureCapacity(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        if (maxSize > Capacity)
        {
            Grow(maxSize);
        }
    }

    /// <summary>Empties the table; the maximum size is unchanged.</summary>
    public void Clear()
    {
        _oldest = 0;
        _count = 0;
        _end = 0;
        _size = 0;
    }

    private ref readonly EntryLocation GetLocation(int index)
    {
        if ((uint)(index - 1) >= (uint)_count)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index), "No dynamic table entry at this index.");
        }

        // Index 1 is the newest entry, the last one in ring order.
        int slot = _oldest + _count - index;
        if (slot >= _entries.Length)
        {
            slot -= _entries.Length;
        }

        return ref _entries[slot];
    }

    private void EvictOldest()
    {
        Debug.Assert(_count > 0);
        EntryLocation oldest = _entries[_oldest];
        _size -= GetEntrySize(oldest.NameLength, oldest.ValueLength);
        _count--;
        _oldest = _oldest + 1 == _entries.Length ? 0 : _oldest + 1;
        if (_count == 0)
        {
            _oldest = 0;
        }
    }

    private int OffsetInBuffer(ReadOnlySpan<byte> source, int fallback)
    {
        if (!source.IsEmpty && ((ReadOnlySpan<byte>)_buffer).Overlaps(source, out int offset))
        {
            return offset;
        }

        return fallback;
    }

    private ReadOnlySpan<byte> Rebase(ReadOnlySpan<byte> source, int keepFrom)
    {
        // A source inside the buffer moves with the compaction; find where it will be.
        if (!source.IsEmpty && ((ReadOnlySpan<byte>)_buffer).Overlaps(source, out int offset))
        {
            return new ReadOnlySpan<byte>(_buffer, offset - keepFrom, source.Length);
        }

        return source;
    }

    private void Compact(int keepFrom)
    {
        _buffer.AsSpan(keepFrom, _end - keepFrom).CopyTo(_buffer);
        _end -= keepFrom;
        for (int i = 0, slot = _oldest; i < _count; i++)
        {
            _entries[slot].Offset -= keepFrom;
            slot = slot + 1 == _entries.Length ? 0 : slot + 1;
        }
    }

    private void Grow(int maxSize)
    {
        var buffer = new byte[2 * maxSize];
        var entries = new EntryLocation[(maxSize / EntryOverhead) + 1];
        int end = 0;
        for (int i = 0, slot = _oldest; i < _count; i++)
        {
            EntryLocation entry = _entries[slot];
            int length = entry.NameLength + entry.ValueLength;
            _buffer.AsSpan(entry.Offset, length).CopyTo(buffer.AsSpan(end));
            entries[i] = new EntryLocation(end, entry.NameLength, entry.ValueLength);
            end += length;
            slot = slot + 1 == _entries.Length ? 0 : slot + 1;
        }

        _buffer = buffer;
        _entries = entries;
        _oldest = 0;
        _end = end;
    }

    private struct EntryLocation(int offset, int nameLength, int valueLength)
    {
        public int Offset = offset;
        public readonly int NameLength = nameLength;
        public readonly int ValueLength = valueLength;
    }
}
