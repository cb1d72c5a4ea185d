using System.Security.Cryptography;
using Microsoft.Extensions.ObjectPool;

namespace Oms.Engine.Signing;

/// <summary>
/// Creates HMAC-SHA256 states keyed with one secret for an <see cref="ObjectPool{T}"/>, so that signing reuses
/// keyed states instead of paying for a new key schedule and native handle per signature.
/// </summary>
/// <remarks>
/// A state is only handed back after <see cref="IncrementalHash.TryGetHashAndReset(Span{byte}, out int)"/>, which
/// leaves it keyed and empty, so <see cref="Return"/> has nothing to clean. A state that failed half-way is
/// disposed by the signer instead of returned. <see cref="Create"/> may run on several threads at once.
/// </remarks>
internal sealed class HmacSha256PoolPolicy : PooledObjectPolicy<IncrementalHash>
{
    private readonly ApiCredentials _credentials;
    private int _created;

    /// <summary>Creates a policy whose states are keyed with the credentials' secret.</summary>
    /// <param name="credentials">The credentials whose secret keys every state.</param>
    public HmacSha256PoolPolicy(ApiCredentials credentials)
    {
        _credentials = credentials;
    }

    /// <summary>How many states this policy has created; a pool that works keeps this small.</summary>
    public int CreatedCount => Volatile.Read(ref _created);

    /// <inheritdoc/>
    public override IncrementalHash Create()
    {
        Interlocked.Increment(ref _created);
        return IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _credentials.SecretUtf8);
    }

    /// <inheritdoc/>
    public override bool Return(IncrementalHash obj) => true;
}
