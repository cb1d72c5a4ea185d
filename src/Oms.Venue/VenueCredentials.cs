using System.Diagnostics;
using System.Security.Cryptography;

namespace Oms.Venue;

/// <summary>The one account the simulator accepts: API key, API secret and account group.</summary>
/// <remarks>The secret never appears in <see cref="ToString"/> or in the debugger display.</remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class VenueCredentials
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Creates credentials from given values.</summary>
    /// <param name="apiKey">The value clients send in <c>x-auth-key</c>.</param>
    /// <param name="apiSecret">The HMAC key; clients sign with its UTF-8 bytes.</param>
    /// <param name="accountGroup">The account group that prefixes every private path.</param>
    public VenueCredentials(string apiKey, string apiSecret, string accountGroup)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentException.ThrowIfNullOrEmpty(apiSecret);
        ArgumentException.ThrowIfNullOrEmpty(accountGroup);
        if (accountGroup.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("The account group is one path segment and cannot contain '/'.", nameof(accountGroup));
        }

        ApiKey = apiKey;
        ApiSecret = apiSecret;
        AccountGroup = accountGroup;
    }

    /// <summary>The API key (public: it travels in every request).</summary>
    public string ApiKey { get; }

    /// <summary>The API secret. Hand it to the client; never print it.</summary>
    public string ApiSecret { get; }

    /// <summary>The account group, the first path segment of every private URL.</summary>
    public string AccountGroup { get; }

    /// <summary>Generates random demo credentials of the exchange's usual shapes.</summary>
    public static VenueCredentials Generate() =>
        new(RandomText(32), RandomText(64), RandomNumberGenerator.GetInt32(1, 10).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Shows the key and group only.</summary>
    public override string ToString() => $"VenueCredentials(key {ApiKey}, group {AccountGroup}, secret redacted)";

    internal static string RandomText(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
