using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.ObjectPool;
using Oms.Engine.Signing;

namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// Produces the <c>x-auth-signature</c> header value for one endpoint:
/// <c>Base64(HMAC-SHA256(secret, "&lt;timestamp&gt;+&lt;prehash path&gt;"))</c>, 44 ASCII bytes.
/// </summary>
/// <remarks>
/// <para>
/// The venue signs only the timestamp and a fixed path, never the body, so every request in one millisecond
/// carries the same signature. <see cref="GetSignature"/> therefore keeps the last signatures per millisecond
/// and computes at most once per millisecond; <see cref="PrepareAhead"/> lets an idle consumer compute the
/// next millisecond's signature before any cancel needs it.
/// </para>
/// <para>
/// Threading: <see cref="GetSignature"/> and <see cref="PrepareAhead"/> share an unsynchronised cache and the
/// span they return points into it, so they belong to one thread (the engine's consumer). Everything else
/// (<see cref="TryComputeSignature"/>, <see cref="TryWriteTimestamp"/>, <see cref="ComputationCount"/>) is safe
/// from any number of threads: HMAC states come from a pool, so a verifier such as the venue simulator can
/// check signatures on all its request threads with one signer.
/// </para>
/// <para>Memory: after construction, signing allocates nothing; the message is built on the stack.</para>
/// </remarks>
internal sealed class CancelSigner : IDisposable
{
    /// <summary>Length of a signature: Base64 of a 32-byte HMAC-SHA256 is 44 ASCII bytes.</summary>
    public const int SignatureLength = 44;

    /// <summary>Length of the <c>x-auth-timestamp</c> value: milliseconds since the epoch, 13 digits.</summary>
    public const int TimestampLength = 13;

    /// <summary>The smallest timestamp with 13 digits (2001-09-09T01:46:40Z).</summary>
    public const long MinTimestampMs = 1_000_000_000_000;

    /// <summary>The largest timestamp with 13 digits (2286-11-20T17:46:39.999Z).</summary>
    public const long MaxTimestampMs = 9_999_999_999_999;

    /// <summary>The longest prehash path accepted; the venue's are a few characters (<c>order</c>, <c>v2/futures/order</c>).</summary>
    public const int MaxPrehashPathLength = 64;

    private const int HmacSha256Length = 32;

    private const int MinRetainedHashStates = 8;

    // Two direct-mapped slots indexed by the millisecond's parity: the current millisecond and the one prepared
    // ahead always land in different slots, so preparing ahead never evicts the signature in use.
    private const int CacheSlots = 2;

    private readonly ObjectPool<IncrementalHash> _hashes;
    private readonly HmacSha256PoolPolicy _policy;
    private readonly byte[] _plusPrehash;
    private readonly byte[] _signatures = new byte[CacheSlots * SignatureLength];
    private readonly long[] _cachedTimestamps = new long[CacheSlots];
    private long _computations;

    /// <summary>Creates a signer for one endpoint's prehash path.</summary>
    /// <param name="credentials">The key and secret; the secret keys every HMAC.</param>
    /// <param name="prehashPath">The endpoint's prehash path: <c>order</c> for the v1 futures cancel, <c>v2/futures/order</c> for v2.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The prehash path is empty, longer than <see cref="MaxPrehashPathLength"/> or not visible ASCII.</exception>
    public CancelSigner(ApiCredentials credentials, string prehashPath)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrEmpty(prehashPath);
        if (prehashPath.Length > MaxPrehashPathLength || prehashPath.AsSpan().ContainsAnyExceptInRange((char)0x21, (char)0x7E))
        {
            throw new ArgumentException($"The prehash path must be 1 to {MaxPrehashPathLength} visible ASCII characters.", nameof(prehashPath));
        }

        PrehashPath = prehashPath;
        _plusPrehash = Encoding.ASCII.GetBytes("+" + prehashPath);
        _policy = new HmacSha256PoolPolicy(credentials);

        // The provider returns a pool that disposes what it retains when it is disposed, which frees the native
        // HMAC handles deterministically in Dispose. The floor keeps a verifier with a few request threads from
        // churning states on a machine with few cores.
        _hashes = new DefaultObjectPoolProvider { MaximumRetained = Math.Max(MinRetainedHashStates, Environment.ProcessorCount * 2) }
            .Create(_policy);

        // long.MinValue is outside the 13-digit range, so an empty slot can never match a valid timestamp.
        _cachedTimestamps.AsSpan().Fill(long.MinValue);
    }

    /// <summary>The prehash path this signer signs, e.g. <c>order</c>.</summary>
    public string PrehashPath { get; }

    /// <summary>How many HMACs this signer has computed, cached or not. A working cache keeps it at one per millisecond used.</summary>
    /// <remarks>Safe to read from any thread.</remarks>
    public long ComputationCount => Interlocked.Read(ref _computations);

    /// <summary>How many HMAC states the pool has created; sequential use keeps it at one.</summary>
    internal int HashStatesCreated => _policy.CreatedCount;

    /// <summary>Returns the signature for a millisecond, computing it only if this millisecond is not cached.</summary>
    /// <param name="timestampMs">The timestamp that also goes into <c>x-auth-timestamp</c>, 13 digits.</param>
    /// <returns>The 44 ASCII bytes of the signature, valid until this signer is asked for a timestamp of the same parity.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp does not have 13 digits.</exception>
    /// <remarks>Consumer thread only: the returned span points into the signer's cache.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> GetSignature(long timestampMs)
    {
        int slot = (int)(timestampMs & (CacheSlots - 1));

        // The range test keeps the empty-slot marker from ever counting as a hit.
        if ((ulong)(timestampMs - MinTimestampMs) <= MaxTimestampMs - MinTimestampMs && _cachedTimestamps[slot] == timestampMs)
        {
            return new ReadOnlySpan<byte>(_signatures, slot * SignatureLength, SignatureLength);
        }

        return ComputeIntoSlot(timestampMs, slot);
    }

    /// <summary>Computes and caches the signature of a coming millisecond so that the first cancel in it finds it ready.</summary>
    /// <param name="timestampMs">The millisecond to prepare, normally the current one plus one.</param>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp does not have 13 digits.</exception>
    /// <remarks>
    /// Consumer thread only. Prepare the next millisecond, not one further: the cache holds two consecutive
    /// milliseconds, so preparing <c>now + 2</c> would evict <c>now</c>. Preparing a cached millisecond costs nothing.
    /// </remarks>
    public void PrepareAhead(long timestampMs) => GetSignature(timestampMs);

    /// <summary>Computes a signature without touching the cache.</summary>
    /// <param name="timestampMs">The timestamp to sign, 13 digits.</param>
    /// <param name="destination">Receives the 44 ASCII bytes.</param>
    /// <param name="bytesWritten"><see cref="SignatureLength"/> on success, 0 otherwise.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than <see cref="SignatureLength"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp does not have 13 digits.</exception>
    /// <remarks>Thread-safe; meant for verifiers and tests, the engine uses <see cref="GetSignature"/>.</remarks>
    public bool TryComputeSignature(long timestampMs, Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < SignatureLength)
        {
            bytesWritten = 0;
            return false;
        }

        Compute(timestampMs, destination);
        bytesWritten = SignatureLength;
        return true;
    }

    /// <summary>Writes a timestamp as the 13 ASCII digits of <c>x-auth-timestamp</c>.</summary>
    /// <param name="timestampMs">Milliseconds since the Unix epoch, 13 digits.</param>
    /// <param name="destination">Receives the digits.</param>
    /// <param name="bytesWritten"><see cref="TimestampLength"/> on success, 0 otherwise.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than <see cref="TimestampLength"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp does not have 13 digits.</exception>
    public static bool TryWriteTimestamp(long timestampMs, Span<byte> destination, out int bytesWritten)
    {
        if ((ulong)(timestampMs - MinTimestampMs) > MaxTimestampMs - MinTimestampMs)
        {
            ThrowHelper.ThrowTimestampOutOfRange(timestampMs);
        }

        if (destination.Length < TimestampLength)
        {
            bytesWritten = 0;
            return false;
        }

        // The range check above fixes the width at 13, so the digits are written right to left without a length pass.
        ulong remaining = (ulong)timestampMs;
        for (int i = TimestampLength - 1; i >= 0; i--)
        {
            (remaining, ulong digit) = Math.DivRem(remaining, 10);
            destination[i] = (byte)('0' + digit);
        }

        bytesWritten = TimestampLength;
        return true;
    }

    /// <summary>Disposes the pooled HMAC states.</summary>
    public void Dispose() => (_hashes as IDisposable)?.Dispose();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ReadOnlySpan<byte> ComputeIntoSlot(long timestampMs, int slot)
    {
        if ((ulong)(timestampMs - MinTimestampMs) > MaxTimestampMs - MinTimestampMs)
        {
            ThrowHelper.ThrowTimestampOutOfRange(timestampMs);
        }

        Span<byte> signature = _signatures.AsSpan(slot * SignatureLength, SignatureLength);

        // Invalidate first: if Compute throws, the slot must not keep answering for its old millisecond with half-written bytes.
        _cachedTimestamps[slot] = long.MinValue;
        Compute(timestampMs, signature);
        _cachedTimestamps[slot] = timestampMs;
        return signature;
    }

    private void Compute(long timestampMs, Span<byte> signature)
    {
        Span<byte> message = stackalloc byte[TimestampLength + 1 + MaxPrehashPathLength];
        TryWriteTimestamp(timestampMs, message, out int digits);
        _plusPrehash.CopyTo(message[digits..]);
        message = message[..(digits + _plusPrehash.Length)];

        Span<byte> mac = stackalloc byte[HmacSha256Length];
        IncrementalHash hmac = _hashes.Get();
        bool clean = false;
        try
        {
            hmac.AppendData(message);
            clean = hmac.TryGetHashAndReset(mac, out int macLength);
            Debug.Assert(clean && macLength == HmacSha256Length, "A 32-byte buffer always holds an HMAC-SHA256.");
        }
        finally
        {
            // A state that failed between AppendData and the reset may hold a partial message: never pool it.
            if (clean)
            {
                _hashes.Return(hmac);
            }
            else
            {
                hmac.Dispose();
            }
        }

        Base64.EncodeToUtf8(mac, signature, out _, out int written);
        Debug.Assert(written == SignatureLength, "Base64 of 32 bytes is 44 bytes.");
        Interlocked.Increment(ref _computations);
    }
}
