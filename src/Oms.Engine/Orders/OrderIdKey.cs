using System.Buffers.Binary;
using System.Numerics;

namespace Oms.Engine.Orders;

/// <summary>
/// An order id of 1 to 32 ASCII bytes held inline as four 64-bit lanes (zero padded), its length and its hash:
/// the form in which the <see cref="CancelStateTable"/> stores and compares ids without a string per entry.
/// </summary>
/// <remarks>
/// Exchange order ids are 32 characters (older ones 31), so four lanes cover every id and a comparison is four
/// 64-bit compares. The hash is ours and not cryptographic: the ids come from our own strategy, not from an
/// adversary, so a fixed seed keeps tests and table layouts reproducible.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal struct OrderIdKey
{
    /// <summary>The longest id accepted, in bytes.</summary>
    public const int MaxLength = OrderId.MaxLength;

    // Odd 64-bit multipliers with well-spread bits: the golden-ratio constant, and the two constants of the
    // widely published 64-bit finalizer of MurmurHash3 (fmix64), whose shift-multiply steps end ComputeHash.
    private const ulong GoldenRatio = 0x9E3779B97F4A7C15;
    private const ulong AvalancheA = 0xFF51AFD7ED558CCD;
    private const ulong AvalancheB = 0xC4CEB9FE1A85EC53;

    public ulong Lane0;
    public ulong Lane1;
    public ulong Lane2;
    public ulong Lane3;
    public int Length;
    public uint Hash;

    /// <summary>Builds the key of <paramref name="id"/>, whose length the caller has checked is 1 to 32 bytes.</summary>
    public static OrderIdKey FromBytes(ReadOnlySpan<byte> id)
    {
        Span<byte> padded = stackalloc byte[MaxLength];
        padded.Clear();
        id.CopyTo(padded);
        return FromPadded(padded, id.Length);
    }

    /// <summary>
    /// Builds the key of an id given as characters; fails (without throwing) when the id is empty, longer than
    /// 32 characters or not ASCII, since no such id can be in the table.
    /// </summary>
    public static bool TryFromAscii(ReadOnlySpan<char> id, out OrderIdKey key)
    {
        if (!OrderId.TryFromAscii(id, out OrderId bytes))
        {
            key = default;
            return false;
        }

        key = FromBytes(bytes.Span);
        return true;
    }

    /// <summary>Whether both keys hold the same bytes (the hash is derived from them, so it is not compared).</summary>
    public readonly bool SameId(in OrderIdKey other) =>
        Length == other.Length && Lane0 == other.Lane0 && Lane1 == other.Lane1
        && Lane2 == other.Lane2 && Lane3 == other.Lane3;

    private static OrderIdKey FromPadded(ReadOnlySpan<byte> padded, int length)
    {
        var key = new OrderIdKey
        {
            Lane0 = BinaryPrimitives.ReadUInt64LittleEndian(padded),
            Lane1 = BinaryPrimitives.ReadUInt64LittleEndian(padded[8..]),
            Lane2 = BinaryPrimitives.ReadUInt64LittleEndian(padded[16..]),
            Lane3 = BinaryPrimitives.ReadUInt64LittleEndian(padded[24..]),
            Length = length,
        };
        key.Hash = ComputeHash(key.Lane0, key.Lane1, key.Lane2, key.Lane3, length);
        return key;
    }

    /// <summary>
    /// Mixes the four lanes and the length into 32 bits. The table uses the low bits as the home slot, so the
    /// final avalanche matters: ids differ mostly in their last nine characters (lane 3), and every input bit
    /// must reach the low bits.
    /// </summary>
    private static uint ComputeHash(ulong lane0, ulong lane1, ulong lane2, ulong lane3, int length)
    {
        ulong h = (ulong)length * GoldenRatio;
        h = Absorb(h, lane0);
        h = Absorb(h, lane1);
        h = Absorb(h, lane2);
        h = Absorb(h, lane3);
        h ^= h >> 33;
        h *= AvalancheA;
        h ^= h >> 33;
        h *= AvalancheB;
        h ^= h >> 33;
        return (uint)h;
    }

    private static ulong Absorb(ulong h, ulong lane) => BitOperations.RotateLeft(h ^ (lane * AvalancheB), 29) * GoldenRatio;
}
