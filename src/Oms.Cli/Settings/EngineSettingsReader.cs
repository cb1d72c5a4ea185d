using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Oms.Cli.Syntax;
using Oms.Engine;
using Oms.Engine.Sequencing;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Cli.Settings;

/// <summary>Builds <see cref="CancelEngineSettings"/> from the <c>engine</c> section, then the command line on top.</summary>
internal static class EngineSettingsReader
{
    public const string Section = "engine";

    /// <summary>The nested section of the fate confirmation (<see cref="ConfirmationSettings"/>).</summary>
    public const string ConfirmationSection = "engine.confirmation";

    /// <summary>The option that turns fate confirmation off for one run (<c>oms demo</c>, <c>oms load</c>).</summary>
    public const string NoConfirmOption = "--no-confirm";

    /// <summary>The keys of the <c>engine</c> section and what each accepts.</summary>
    public static readonly IReadOnlyDictionary<string, SettingSpec> SettingsKeys = new Dictionary<string, SettingSpec>(StringComparer.Ordinal)
    {
        ["profile"] = SettingSpec.Text(nullable: false, "v1 or v2", name => CancelProfile.TryGetByName(name, out _)),
        ["baseUrl"] = SettingSpec.Text(nullable: true, "the venue's base URL (http or https, no path), e.g. \"https://ascendex.com\"", url => EngineSettingsReader.TryParseUrl(url, out _)),
        ["accountGroup"] = SettingSpec.Text(nullable: true),
        ["ringSize"] = SettingSpec.WholeNumber(2, 1 << 24, powerOfTwo: true),
        ["waitStrategy"] = SettingSpec.Text(nullable: false, "spin-then-park, busy-spin, yielding, sleeping or blocking", name => WaitStrategyFactory.TryParse(name, out _)),
        ["waitSpinMicroseconds"] = SettingSpec.WholeNumber(0, 1_000_000),
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

    public static CancelEngineSettings Read(RuntimeSettingsFile file, IOptionValues args, Uri? baseUrl, string? accountGroup, double? rate, string? caCertificate)
    {
        var profileName = args.GetString("--profile") ?? file.GetString(Section, "profile", "v1");
        if (!CancelProfile.TryGetByName(profileName, out var profile))
        {
            throw new UsageException($"unknown profile '{profileName}' (use v1 or v2)");
        }

        var waitName = args.GetString("--wait-strategy") ?? file.GetString(Section, "waitStrategy", "spin-then-park");
        if (!WaitStrategyFactory.TryParse(waitName, out var wait))
        {
            throw new UsageException($"unknown wait strategy '{waitName}' (use spin-then-park, busy-spin, yielding, sleeping or blocking)");
        }

        // engine.baseUrl was checked when the file loaded; only its absence is left to report.
        var url = baseUrl ?? (file.GetOptionalString(Section, "baseUrl") is { } fileUrl
            ? ParseUrl(fileUrl, "engine.baseUrl")
            : throw new UsageException("no venue: give --base-url (or engine.baseUrl in the settings)"));
        var group = accountGroup ?? file.GetOptionalString(Section, "accountGroup") ?? throw new UsageException("no account group: give --account-group (or engine.accountGroup in the settings)");
        var ca = caCertificate ?? file.GetOptionalString(Section, "caCertificate");
        if (ca is not null)
        {
            CheckCaCertificate(ca);
        }

        var settings = new CancelEngineSettings
        {
            BaseUrl = url,
            AccountGroup = group,
            Profile = profile,
            WaitStrategy = wait,
            WaitSpin = TimeSpan.FromMicroseconds(args.GetInt("--wait-spin-us", file.GetInt(Section, "waitSpinMicroseconds", CancelEngineSettings.DefaultWaitSpinMicroseconds), 0, 1_000_000)),
            RingSize = file.GetInt(Section, "ringSize", 16_384),
            Connections = args.GetInt("--connections", file.GetInt(Section, "connections", 2), 1, 64),
            RequestTimeout = TimeSpan.FromMilliseconds(args.GetInt("--request-timeout-ms", file.GetInt(Section, "requestTimeoutMs", 5000), 1, 60_000)),
            RetryAttempts = file.GetInt(Section, "retryAttempts", 3),
            RetryBackoff = TimeSpan.FromMilliseconds(file.GetInt(Section, "retryBackoffMs", 100)),
            RateLimitPerSecond = rate ?? file.GetDouble(Section, "rateLimitPerSecond", 50),
            RateLimitBurst = file.GetInt(Section, "rateLimitBurst", 20),
            InFlightUntilKeyProven = file.GetInt(Section, "inFlightUntilKeyProven", 4),
            StartWithoutVenue = file.GetBool(Section, "startWithoutVenue", false),
            ConsumerCpu = file.GetOptionalInt(Section, "consumerCpu"),
            OrderStateCapacity = file.GetInt(Section, "orderStateCapacity", CancelEngineSettings.DefaultOrderStateCapacity),
            OrderStateRetention = TimeSpan.FromSeconds(file.GetInt(Section, "orderStateRetentionSeconds", CancelEngineSettings.DefaultOrderStateRetentionSeconds)),
            ExpiryMargin = TimeSpan.FromMilliseconds(file.GetInt(Section, "expiryMarginMs", 2000)),
            CaCertificatePath = ca,
            MaxResponseBodySize = file.GetInt(Section, "maxResponseBodyBytes", 64 * 1024),
            ConnectionReceiveWindow = file.GetInt(Section, "connectionReceiveWindowBytes", 1 << 20),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(file.GetInt(Section, "reconnectMinDelayMs", 100)),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(file.GetInt(Section, "reconnectMaxDelayMs", 5000)),
            ReconnectBackoffResetAfter = TimeSpan.FromMilliseconds(file.GetInt(Section, "reconnectBackoffResetMs", 5000)),
            MaxConsecutiveTimeouts = file.GetInt(Section, "maxConsecutiveTimeouts", 3),
            PingInterval = TimeSpan.FromMilliseconds(file.GetInt(Section, "pingIntervalMs", 10_000)),
            PingTimeout = TimeSpan.FromMilliseconds(file.GetInt(Section, "pingTimeoutMs", 3000)),
            MaxHeaderBlockFrames = file.GetInt(Section, "maxHeaderBlockFrames", 32),
            HeaderBlockTimeout = TimeSpan.FromMilliseconds(file.GetInt(Section, "headerBlockTimeoutMs", 2000)),
            BatchCancel = ReadBatch(file, args),
            Confirmation = ReadConfirmation(file, args),
        };
        return Validated(settings);
    }

    /// <summary>The option that says when cancels are batched for one run (<c>oms load --batch auto|off</c>).</summary>
    public const string BatchOption = "--batch";

    /// <summary><c>auto</c> or <c>off</c>, as <c>engine.batchCancel</c> and <c>--batch</c> spell them.</summary>
    public static bool TryParseBatch(string? value, out BatchCancelMode mode)
    {
        mode = value == "off" ? BatchCancelMode.Off : BatchCancelMode.Auto;
        return value is "auto" or "off";
    }

    private static BatchCancelMode ReadBatch(RuntimeSettingsFile file, IOptionValues args)
    {
        var value = args.GetString(BatchOption) ?? file.GetString(Section, "batchCancel", "auto");
        return TryParseBatch(value, out var mode) ? mode : throw new UsageException($"{BatchOption} must be auto or off, not '{value}'");
    }

    /// <summary>The <c>engine.confirmation</c> section, with <c>--no-confirm</c> turning it off when the command has that option.</summary>
    private static ConfirmationSettings ReadConfirmation(RuntimeSettingsFile file, IOptionValues args)
    {
        var defaults = new ConfirmationSettings();
        return new ConfirmationSettings
        {
            Enabled = !args.Has(NoConfirmOption) && file.GetBool(ConfirmationSection, "enabled", defaults.Enabled),
            UseStream = file.GetBool(ConfirmationSection, "useStream", defaults.UseStream),
            StreamWait = TimeSpan.FromMilliseconds(file.GetInt(ConfirmationSection, "streamWaitMs", (int)defaults.StreamWait.TotalMilliseconds)),
            Deadline = TimeSpan.FromMilliseconds(file.GetInt(ConfirmationSection, "deadlineMs", (int)defaults.Deadline.TotalMilliseconds)),
            RecheckInterval = TimeSpan.FromMilliseconds(file.GetInt(ConfirmationSection, "recheckMs", (int)defaults.RecheckInterval.TotalMilliseconds)),
            MaxIdsPerStatusRequest = file.GetInt(ConfirmationSection, "maxIdsPerStatusRequest", defaults.MaxIdsPerStatusRequest),
            Capacity = file.GetInt(ConfirmationSection, "capacity", defaults.Capacity),
        };
    }

    /// <summary>
    /// The order-state capacity for a run of <paramref name="orders"/> intents offered at <paramref name="offeredRate"/>
    /// per second (0: as fast as possible): at least the configured capacity, at most the engine's maximum.
    /// </summary>
    /// <remarks>
    /// Follows the engine's sizing rule (<see cref="CancelEngineSettings.OrderStateCapacity"/>): the admitted rate
    /// (the limiter's when it is on, else the offered one) plus a full ring expiring per 28 s, times the time an entry
    /// is held (venue window + retention + one sweep lap), and half as much again for bursts. A run never needs more
    /// than one entry per order, and an unpaced run may need that many, so the run's size caps the rule.
    /// </remarks>
    public static int OrderStateCapacityFor(CancelEngineSettings settings, long orders, double offeredRate)
    {
        var rate = settings.RateLimitPerSecond > 0 ? settings.RateLimitPerSecond : offeredRate;
        var needed = orders;
        if (rate > 0)
        {
            var held = CancelEngineSettings.VenueWindow + settings.OrderStateRetention + TimeSpan.FromSeconds(1);
            needed = (long)Math.Min(orders, Math.Ceiling(1.5 * (rate + settings.RingSize / 28.0) * held.TotalSeconds));
        }

        return (int)Math.Min(Math.Max(settings.OrderStateCapacity, needed), CancelEngineSettings.MaxOrderStateCapacity);
    }

    /// <summary><paramref name="settings"/> when the engine accepts them; otherwise a usage error with the engine's reason.</summary>
    public static CancelEngineSettings Validated(CancelEngineSettings settings)
    {
        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            // The message names the setting already; .NET's "(Parameter 'X')" suffix says it again.
            throw new UsageException(e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
        }

        return settings;
    }

    /// <summary>Parses a venue base URL given by <paramref name="source"/> (a flag or a settings key, named in the error).</summary>
    public static Uri ParseUrl(string text, string source) =>
        TryParseUrl(text, out var url)
            ? url
            : throw new UsageException($"bad URL '{text}' for {source}: give the venue's base URL, e.g. https://ascendex.com or http://127.0.0.1:8800");

    /// <summary>
    /// True when <paramref name="text"/> is an absolute http or https URL with no path. A colon with no port after it
    /// is refused: <see cref="Uri"/> would read it as the scheme's default port, which is never what was meant.
    /// </summary>
    public static bool TryParseUrl(string text, [NotNullWhen(true)] out Uri? url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.AbsolutePath == "/"
        && !HasEmptyPort(text, url);

    private static bool HasEmptyPort(string text, Uri url)
    {
        var authority = text.AsSpan(url.Scheme.Length + "://".Length);
        var end = authority.IndexOfAny('/', '?', '#');
        authority = end < 0 ? authority : authority[..end];
        return authority.EndsWith(":");
    }

    /// <summary>
    /// Reads and parses the CA file now, so an unusable file is a configuration error (exit 2) and never looks like
    /// a venue that refused the TLS handshake (exit 4), which is all the transport could say about it later.
    /// </summary>
    private static void CheckCaCertificate(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"cannot read CA certificate file '{path}': {e.Message.ReplaceLineEndings(" ")}");
        }

        try
        {
            if (roots.Count == 0)
            {
                throw new UsageException($"CA certificate file '{path}' holds no PEM certificate");
            }
        }
        finally
        {
            foreach (var root in roots)
            {
                root.Dispose();
            }
        }
    }
}
