using System.Security.Cryptography;
using System.Text;

namespace Oms.Venue.Handling;

/// <summary>Checks <c>x-auth-signature</c> against Base64(HMAC-SHA256(secret, "&lt;timestamp&gt;+&lt;prehash&gt;")).</summary>
/// <remarks>
/// The signature depends only on the timestamp, and a busy client sends many requests per millisecond, so the
/// expected MAC of the last timestamp seen is kept. Thread-safe: the cache is one immutable object swapped whole.
/// Written independently of the engine's signer on purpose, so the simulator is an oracle for it, not a mirror.
/// </remarks>
internal sealed class SignatureVerifier
{
    private readonly byte[] _secret;
    private readonly string _prehash;
    private Expected? _last;

    public SignatureVerifier(string secret, string prehash)
    {
        _secret = Encoding.UTF8.GetBytes(secret);
        _prehash = prehash;
    }

    /// <summary>The Base64 signature a client should send with this timestamp text.</summary>
    public string Sign(string timestamp) => Convert.ToBase64String(ExpectedMac(timestamp));

    /// <summary>True when <paramref name="signature"/> is the Base64 MAC of <paramref name="timestamp"/>.</summary>
    public bool Verify(string timestamp, ReadOnlySpan<char> signature)
    {
        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64Chars(signature, given, out var length) || length != 32)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given[..length], ExpectedMac(timestamp));
    }

    private byte[] ExpectedMac(string timestamp)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && string.Equals(last.Timestamp, timestamp, StringComparison.Ordinal))
        {
            return last.Mac;
        }

        var mac = HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(timestamp + "+" + _prehash));
        Volatile.Write(ref _last, new Expected(timestamp, mac));
        return mac;
    }

    private sealed record Expected(string Timestamp, byte[] Mac);
}
