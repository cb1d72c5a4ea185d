namespace Oms.Venue.Handling;

/// <summary>Reproducible draws in [0, 1) keyed by a stream's arrival number, so a seed replays the same faults.</summary>
internal sealed class FaultDice(int seed)
{
    private long _draws;

    /// <summary>Numbers a stream; its draws are then a pure function of the seed and this number.</summary>
    public long NextStream() => Interlocked.Increment(ref _draws);

    /// <summary>The draw for one purpose (<paramref name="salt"/>) of one stream.</summary>
    public double Draw(long stream, int salt)
    {
        // SplitMix64 finaliser over (seed, stream, salt): cheap, stateless, well mixed.
        var z = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)stream * 0x9E3779B97F4A7C15UL) ^ ((ulong)salt * 0xD1B54A32D192ED03UL));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>A draw key for a text such as an order id, so a draw depends on the id and not on arrival order.</summary>
    public static long KeyOf(string text)
    {
        // FNV-1a over the UTF-16 code units: stable across processes, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return unchecked((long)hash);
    }
}
