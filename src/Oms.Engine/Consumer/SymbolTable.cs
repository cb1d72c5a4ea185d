namespace Oms.Engine.Consumer;

/// <summary>
/// Interns symbols to small integers so a ring slot carries an index instead of a string. Lock-free: strategy threads
/// add and look up concurrently; the consumer reads the bytes by index.
/// </summary>
/// <remarks>
/// Open addressing over a fixed array. A slot is claimed by CAS of a reference to the symbol's immutable ASCII bytes;
/// a slot once set never changes, so readers need only an acquire read. The first sight of a symbol allocates its
/// bytes once; every later lookup allocates nothing.
/// </remarks>
internal sealed class SymbolTable
{
    /// <summary>The most symbols one engine trades: beyond it <c>TryCancel</c> refuses with <c>TooManySymbols</c>.</summary>
    public const int DefaultCapacity = 4096;

    private readonly byte[]?[] _symbols;
    private readonly int _mask;

    public SymbolTable(int capacity)
    {
        if (capacity < 2 || !int.IsPow2(capacity))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A power of two of at least 2.");
        }

        _symbols = new byte[capacity][];
        _mask = capacity - 1;
    }

    /// <summary>The index of <paramref name="symbol"/> (ASCII, already validated), adding it if new; false when the table is full.</summary>
    public bool TryGetOrAdd(ReadOnlySpan<char> symbol, out int index)
    {
        var start = Hash(symbol) & _mask;
        for (var probe = 0; probe <= _mask; probe++)
        {
            var i = (start + probe) & _mask;
            var existing = Volatile.Read(ref _symbols[i]);
            if (existing is null)
            {
                var bytes = new byte[symbol.Length];
                for (var c = 0; c < symbol.Length; c++)
                {
                    bytes[c] = (byte)symbol[c];
                }

                existing = Interlocked.CompareExchange(ref _symbols[i], bytes, null) ?? bytes;
            }

            if (Equals(existing, symbol))
            {
                index = i;
                return true;
            }
        }

        index = -1;
        return false;
    }

    /// <summary>The bytes of an interned symbol.</summary>
    public ReadOnlySpan<byte> this[int index] => Volatile.Read(ref _symbols[index]);

    private static bool Equals(byte[] bytes, ReadOnlySpan<char> symbol)
    {
        if (bytes.Length != symbol.Length)
        {
            return false;
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != symbol[i])
            {
                return false;
            }
        }

        return true;
    }

    // FNV-1a: symbols are short, so a simple byte-at-a-time hash is plenty.
    private static int Hash(ReadOnlySpan<char> symbol)
    {
        var hash = 2166136261u;
        foreach (var c in symbol)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & int.MaxValue);
    }
}
