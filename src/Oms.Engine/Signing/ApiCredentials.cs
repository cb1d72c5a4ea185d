using System.Text;

namespace Oms.Engine.Signing;

/// <summary>
/// An AscendEX API key and its secret. The key travels in the <c>x-auth-key</c> header; the secret only ever
/// keys the HMAC that produces <c>x-auth-signature</c>.
/// </summary>
/// <remarks>
/// <para>
/// The secret is held as its UTF-8 bytes (the venue keys HMAC-SHA256 with exactly those bytes) and is never
/// rendered: <see cref="ToString"/>, the debugger display and every exception message show the key alone,
/// so a credentials object can be logged or inspected without leaking what signs orders.
/// </para>
/// <para>Immutable after construction and safe to share between threads.</para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class ApiCredentials
{
    private readonly byte[] _apiKeyUtf8;

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[] _secretUtf8;

    /// <summary>Creates credentials from the key and the secret as the venue's web console shows them.</summary>
    /// <param name="apiKey">The API key: visible ASCII (it is sent verbatim as a header value).</param>
    /// <param name="secret">The API secret; its UTF-8 bytes become the HMAC key.</param>
    /// <exception cref="ArgumentNullException">A value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, or the key is not visible ASCII.</exception>
    public ApiCredentials(string apiKey, string secret)
        : this(apiKey, ValidateSecretString(secret))
    {
    }

    /// <summary>Creates credentials from the key and the secret already encoded as UTF-8 bytes.</summary>
    /// <param name="apiKey">The API key: visible ASCII (it is sent verbatim as a header value).</param>
    /// <param name="secretUtf8">The UTF-8 bytes of the API secret; they are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="apiKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, or the key is not visible ASCII.</exception>
    public ApiCredentials(string apiKey, ReadOnlySpan<byte> secretUtf8)
        : this(apiKey, secretUtf8.ToArray())
    {
    }

    private ApiCredentials(string apiKey, byte[] secretUtf8)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        if (!IsVisibleAscii(apiKey))
        {
            // The message names the rule, not the value: a secret pasted into the key field must not end up in a log.
            throw new ArgumentException("The API key must be visible ASCII (0x21-0x7E) because it is sent as a header value.", nameof(apiKey));
        }

        if (secretUtf8.Length == 0)
        {
            throw new ArgumentException("The API secret must not be empty.", nameof(secretUtf8));
        }

        ApiKey = apiKey;
        _apiKeyUtf8 = Encoding.ASCII.GetBytes(apiKey);
        _secretUtf8 = secretUtf8;
    }

    /// <summary>The API key, sent as the <c>x-auth-key</c> header.</summary>
    public string ApiKey { get; }

    /// <summary>The API key as the ASCII bytes of the <c>x-auth-key</c> header value.</summary>
    public ReadOnlySpan<byte> ApiKeyUtf8 => _apiKeyUtf8;

    /// <summary>The secret's UTF-8 bytes: the HMAC key. Internal so that only the signer reads it.</summary>
    internal ReadOnlySpan<byte> SecretUtf8 => _secretUtf8;

    /// <summary>Shows the API key only; the secret is never rendered.</summary>
    /// <returns><c>ApiCredentials { ApiKey = &lt;key&gt; }</c>.</returns>
    public override string ToString() => $"ApiCredentials {{ ApiKey = {ApiKey} }}";

    private static byte[] ValidateSecretString(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Encoding.UTF8.GetBytes(secret);
    }

    private static bool IsVisibleAscii(string value)
    {
        foreach (char c in value)
        {
            if (c is < (char)0x21 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
