using System.Security.Cryptography;


namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// Makes the <c>id</c> of each cancel request: exactly 32 ASCII letters and digits, unique across restarts, and
/// mapped back to the request that carried it in O(1) when the venue echoes it.
/// </summary>
/// <remarks>
/// <para>
/// Layout: a 21-character prefix drawn once per generator from <see cref="RandomNumberGenerator"/>, then the
/// request's sequence number in 11 base-62 digits, most significant first. Twenty-one base-62 characters carry
/// about 125 random bits, so two engine runs sharing a prefix is not a practical concern, and 11 digits hold
/// every non-negative <see cref="long"/>. The digits are in ASCII order (<c>0-9A-Za-z</c>), so ids of one run
/// sort like their sequence numbers, which helps when reading logs.
/// </para>
/// <para>
/// Threading: <see cref="TryWriteNext"/> advances an unsynchronised counter and belongs to one thread (the
/// consumer). <see cref="TryWrite"/> and <see cref="TryParseSequence"/> read only immutable state and are safe
/// from any thread, such as a connection's reader loop. Nothing allocates after construction.
/// </para>
/// </remarks>
internal sealed class RequestIdGenerator
{
    /// <summary>Length of a request id: the contract's "32 chars (letter and digit number only)".</summary>
    public const int Length = InlineAscii.Capacity;

    /// <summary>Length of the random per-generator prefix.</summary>
    public const int PrefixLength = 21;

    /// <summary>Length of the base-62 sequence number that ends each id.</summary>
    public const int SequenceDigits = Length - PrefixLength;

    private const int Base = 62;

    private static readonly sbyte[] s_digitValues = BuildDigitValues();

    private readonly byte[] _prefix = new byte[PrefixLength];
    private long _nextSequence;

    /// <summary>Creates a generator with a fresh random prefix.</summary>
    public RequestIdGenerator()
    {
        RandomNumberGenerator.GetItems(Alphabet, _prefix);
    }

    /// <summary>Creates a generator with a given prefix, for replays and tests.</summary>
    /// <param name="prefix">Exactly <see cref="PrefixLength"/> ASCII letters and digits.</param>
    /// <exception cref="ArgumentException">The prefix has the wrong length or a character outside letters and digits.</exception>
    public RequestIdGenerator(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length != PrefixLength || prefix.ContainsAnyExcept(Alphabet))
        {
            throw new ArgumentException($"The prefix must be {PrefixLength} ASCII letters and digits.", nameof(prefix));
        }

        prefix.CopyTo(_prefix);
    }

    /// <summary>The 21 ASCII characters every id of this generator starts with.</summary>
    public ReadOnlySpan<byte> Prefix => _prefix;

    /// <summary>The sequence number the next <see cref="TryWriteNext"/> will use.</summary>
    public long NextSequence => _nextSequence;

    /// <summary>The 62 digits in ASCII order: digits, upper case, lower case.</summary>
    private static ReadOnlySpan<byte> Alphabet => "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8;

    /// <summary>Passes over the next sequence number without writing its id: that id is simply never used.</summary>
    /// <remarks>Consumer thread only. Ids must be unique, not contiguous, so skipping one is always safe.</remarks>
    public void Skip() => _nextSequence++;

    /// <summary>Writes the id for the next sequence number and advances the counter.</summary>
    /// <param name="destination">Receives the <see cref="Length"/> ASCII bytes.</param>
    /// <param name="sequence">The sequence number the id encodes; key the in-flight request by it.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than <see cref="Length"/>; the counter is then unchanged.</returns>
    /// <remarks>Consumer thread only.</remarks>
    public bool TryWriteNext(Span<byte> destination, out long sequence)
    {
        sequence = _nextSequence;
        if (!TryWrite(sequence, destination, out _))
        {
            sequence = -1;
            return false;
        }

        _nextSequence = sequence + 1;
        return true;
    }

    /// <summary>Writes the id that encodes a given sequence number.</summary>
    /// <param name="sequence">A non-negative sequence number.</param>
    /// <param name="destination">Receives the <see cref="Length"/> ASCII bytes.</param>
    /// <param name="bytesWritten"><see cref="Length"/> on success, 0 otherwise.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than <see cref="Length"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is negative.</exception>
    /// <remarks>Thread-safe.</remarks>
    public bool TryWrite(long sequence, Span<byte> destination, out int bytesWritten)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        if (destination.Length < Length)
        {
            bytesWritten = 0;
            return false;
        }

        _prefix.CopyTo(destination);
        WriteDigits((ulong)sequence, destination.Slice(PrefixLength, SequenceDigits));
        bytesWritten = Length;
        return true;
    }

    /// <summary>Recovers the sequence number from an id the venue echoed back.</summary>
    /// <param name="echoedId">The echoed <c>id</c> bytes.</param>
    /// <param name="sequence">The sequence number, or -1.</param>
    /// <returns>
    /// <see langword="false"/> if the id is not one of this generator's: wrong length, another prefix (another
    /// run or another client), or digits that are not base 62 or exceed <see cref="long.MaxValue"/>.
    /// </returns>
    /// <remarks>Thread-safe; constant time in the id's length.</remarks>
    public bool TryParseSequence(ReadOnlySpan<byte> echoedId, out long sequence)
    {
        sequence = -1;
        if (echoedId.Length != Length || !echoedId[..PrefixLength].SequenceEqual(_prefix))
        {
            return false;
        }

        ulong value = 0;
        foreach (byte b in echoedId[PrefixLength..])
        {
            int digit = s_digitValues[b];
            if (digit < 0 || value > (ulong)(long.MaxValue - digit) / Base)
            {
                return false;
            }

            value = (value * Base) + (ulong)digit;
        }

        sequence = (long)value;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteDigits(ulong value, Span<byte> digits)
    {
        ReadOnlySpan<byte> alphabet = Alphabet;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            (value, ulong digit) = Math.DivRem(value, Base);
            digits[i] = alphabet[(int)digit];
        }
    }

    private static sbyte[] BuildDigitValues()
    {
        var values = new sbyte[256];
        values.AsSpan().Fill(-1);
        for (int i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
