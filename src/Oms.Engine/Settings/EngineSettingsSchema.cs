using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Oms.Engine.Settings;

/// <summary>
/// The keys of the <c>engine</c> settings section and what each accepts, with the checks every reader of them makes:
/// the <c>oms</c> command reads them from <c>runtimesettings.json</c>, the hosting package from an <c>IConfiguration</c>
/// section, and both refuse a bad value with the same message.
/// </summary>
/// <remarks>Startup code: read once before an engine starts.</remarks>
internal static class EngineSettingsSchema
{
    /// <summary>The section's name in <c>runtimesettings.json</c>.</summary>
    public const string Section = "engine";

    /// <summary>The nested section of the fate confirmation (<see cref="ConfirmationSettings"/>), by its key in <see cref="Section"/>.</summary>
    public const string ConfirmationKey = "confirmation";

    /// <summary>The keys of the <c>engine</c> section and what each accepts.</summary>
    public static readonly IReadOnlyDictionary<string, SettingSpec> EngineKeys = new Dictionary<string, SettingSpec>(StringComparer.Ordinal)
    {
        ["profile"] = SettingSpec.Text(nullable: false, "v1 or v2", name => CancelProfile.TryGetByName(name, out _)),
        ["baseUrl"] = SettingSpec.Text(nullable: true, "the venue's base URL (http or https, no path), e.g. \"https://ascendex.com\"", url => TryParseUrl(url, out _)),
        ["accountGroup"] = SettingSpec.Text(nullable: true),
        ["ringSize"] = SettingSpec.WholeNumber(2, 1 << 24, powerOfTwo: true),
        ["waitStrategy"] = SettingSpec.Text(nullable: false, "spin-then-park, busy-spin, yielding, sleeping or blocking", name => WaitStrategyFactory.TryParse(name, out _)),
        ["waitSpinMicroseconds"] = SettingSpec.WholeNumber(0, 1_000_000),
        ["readOnConsumer"] = SettingSpec.Boolean(),
        ["connections"] = SettingSpec.WholeNumber(1, 64),
        ["requestTimeoutMs"] = SettingSpec.WholeNumber(1, 60_000),
        ["retryAttempts"] = SettingSpec.WholeNumber(0, 100),
        ["retryBackoffMs"] = SettingSpec.WholeNumber(1, 60_000),
        ["rateLimitPerSecond"] = SettingSpec.Number(0, 1_000_000),
        ["rateLimitBurst"] = SettingSpec.WholeNumber(1, 1_000_000),
        ["batchCancel"] = SettingSpec.Text(nullable: false, "auto or off", value => TryParseBatch(value, out _)),
        ["inFlightUntilKeyProven"] = SettingSpec.WholeNumber(0, 1_000_000),
        ["startWithoutVenue"] = SettingSpec.Boolean(),
        ["consumerCpu"] = SettingSpec.OptionalWholeNumber(0, 1023),
        ["orderStateCapacity"] = SettingSpec.WholeNumber(16, CancelEngineSettings.MaxOrderStateCapacity),
        ["orderStateRetentionSeconds"] = SettingSpec.WholeNumber(0, 86_400),

        // The venue drops requests older than 30 s, so a margin of 30 s or more would expire everything.
        ["expiryMarginMs"] = SettingSpec.WholeNumber(0, 29_999),
        ["caCertificate"] = SettingSpec.Text(nullable: true, "a file name"),

        // Limits against a venue that misbehaves (README, "Faults").
        ["maxResponseBodyBytes"] = SettingSpec.WholeNumber(1024, 16 << 20),
        ["connectionReceiveWindowBytes"] = SettingSpec.WholeNumber(65_535, int.MaxValue),
        ["reconnectMinDelayMs"] = SettingSpec.WholeNumber(1, 60_000),
        ["reconnectMaxDelayMs"] = SettingSpec.WholeNumber(1, 600_000),
        ["reconnectBackoffResetMs"] = SettingSpec.WholeNumber(0, 600_000),
        ["maxConsecutiveTimeouts"] = SettingSpec.WholeNumber(1, 1_000_000),
        ["pingIntervalMs"] = SettingSpec.WholeNumber(0, 600_000),
        ["pingTimeoutMs"] = SettingSpec.WholeNumber(1, 600_000),
        ["maxHeaderBlockFrames"] = SettingSpec.WholeNumber(1, 10_000),
        ["headerBlockTimeoutMs"] = SettingSpec.WholeNumber(1, 600_000),
    };

    /// <summary>The keys of the <c>engine.confirmation</c> section and what each accepts.</summary>
    public static readonly IReadOnlyDictionary<string, SettingSpec> ConfirmationKeys = new Dictionary<string, SettingSpec>(StringComparer.Ordinal)
    {
        ["enabled"] = SettingSpec.Boolean(),
        ["useStream"] = SettingSpec.Boolean(),
        ["streamWaitMs"] = SettingSpec.WholeNumber(0, 60_000),
        ["deadlineMs"] = SettingSpec.WholeNumber(1, 600_000),
        ["recheckMs"] = SettingSpec.WholeNumber(1, 60_000),
        ["maxIdsPerStatusRequest"] = SettingSpec.WholeNumber(1, ConfirmationSettings.MaxIdsPerStatusRequestLimit),

        // About 200 B an order, allocated at start: a million is 200 MiB, more than any burst within a deadline needs.
        ["capacity"] = SettingSpec.WholeNumber(1, 1 << 20),
    };

    /// <summary><c>auto</c> or <c>off</c>, as <c>engine.batchCancel</c> spells them.</summary>
    public static bool TryParseBatch(string? value, out BatchCancelMode mode)
    {
        mode = value == "off" ? BatchCancelMode.Off : BatchCancelMode.Auto;
        return value is "auto" or "off";
    }

    /// <summary>
    /// True when <paramref name="text"/> is an absolute http or https URL with no path. A colon with no port after it
    /// is refused: <see cref="Uri"/> would read it as the scheme's default port, which is never what was meant.
    /// </summary>
    public static bool TryParseUrl(string text, [NotNullWhen(true)] out Uri? url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.AbsolutePath == "/"
        && !HasEmptyPort(text, url);

    /// <summary>
    /// Reads and parses a CA file at start, so an unusable file is a configuration error and never looks like a venue
    /// that refused the TLS handshake, which is all the transport could say about it later.
    /// </summary>
    /// <returns>Null when the file holds at least one PEM certificate; otherwise what is wrong, in one line.</returns>
    public static string? CheckCaCertificate(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
            return roots.Count == 0 ? $"CA certificate file '{path}' holds no PEM certificate" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return $"cannot read CA certificate file '{path}': {e.Message.ReplaceLineEndings(" ")}";
        }
        finally
        {
            foreach (var root in roots)
            {
                root.Dispose();
            }
        }
    }

    /// <summary>Null when the engine accepts <paramref name="settings"/>; otherwise the engine's reason, in one line.</summary>
    public static string? ValidationError(CancelEngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            settings.Validate();
            return null;
        }
        catch (ArgumentException e)
        {
            // The message names the setting already; .NET's "(Parameter 'X')" suffix says it again.
            return e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
        }
    }

    private static bool HasEmptyPort(string text, Uri url)
    {
        var authority = text.AsSpan(url.Scheme.Length + "://".Length);
        var end = authority.IndexOfAny('/', '?', '#');
        authority = end < 0 ? authority : authority[..end];
        return authority.EndsWith(":");
    }
}
