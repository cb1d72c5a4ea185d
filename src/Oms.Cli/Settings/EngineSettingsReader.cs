using System.Diagnostics.CodeAnalysis;
using Oms.Cli.Syntax;
using Oms.Engine;
using Oms.Engine.Sequencing;
using Oms.Engine.Settings;
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

    /// <summary>The keys of the <c>engine</c> section and what each accepts (shared with the hosting package).</summary>
    public static IReadOnlyDictionary<string, SettingSpec> SettingsKeys => EngineSettingsSchema.EngineKeys;

    /// <summary>The keys of the <c>engine.confirmation</c> section and what each accepts (shared with the hosting package).</summary>
    public static IReadOnlyDictionary<string, SettingSpec> ConfirmationKeys => EngineSettingsSchema.ConfirmationKeys;

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
            ReadOnConsumer = file.GetBool(Section, "readOnConsumer", true),
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
    public static bool TryParseBatch(string? value, out BatchCancelMode mode) => EngineSettingsSchema.TryParseBatch(value, out mode);

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
    /// The most order states an unpaced run (no rate, no limiter) sizes the table for: 2^20 entries, a 128 MiB table,
    /// about 29,000 cancels/s held for a prompt venue's 36 s. Its pace is the venue's, which nothing here knows; sizing
    /// by the run instead gave a run of 17 million orders or more the engine's maximum, a 2 GiB table, at start. Beyond
    /// it the load driver waits for entries (<c>LoadRunner</c>); <c>engine.orderStateCapacity</c> raises it.
    /// </summary>
    public const int UnpacedOrderStateCapacity = 1 << 20;

    /// <summary>
    /// The order-state capacity for a run of <paramref name="orders"/> intents offered at <paramref name="offeredRate"/>
    /// per second (0: as fast as possible): at least the configured capacity, at most the engine's maximum.
    /// </summary>
    /// <remarks>
    /// Follows the engine's sizing rule (<see cref="CancelEngineSettings.OrderStateCapacity"/>): the admitted rate
    /// (the limiter's when it is on, else the offered one) plus a full ring expiring per 28 s, times the time an entry
    /// is held (venue window + retention + one sweep lap), and half as much again for bursts. A run never needs more
    /// than one entry per order, so the run's size caps the rule; an unpaced run has no rate to size by, and gets one
    /// entry per order up to <see cref="UnpacedOrderStateCapacity"/>.
    /// </remarks>
    public static int OrderStateCapacityFor(CancelEngineSettings settings, long orders, double offeredRate)
    {
        var rate = settings.RateLimitPerSecond > 0 ? settings.RateLimitPerSecond : offeredRate;
        var needed = Math.Min(orders, UnpacedOrderStateCapacity);
        if (rate > 0)
        {
            var held = CancelEngineSettings.VenueWindow + settings.OrderStateRetention + TimeSpan.FromSeconds(1);
            needed = (long)Math.Min(orders, Math.Ceiling(1.5 * (rate + settings.RingSize / 28.0) * held.TotalSeconds));
        }

        return (int)Math.Min(Math.Max(settings.OrderStateCapacity, needed), CancelEngineSettings.MaxOrderStateCapacity);
    }

    /// <summary><paramref name="settings"/> when the engine accepts them; otherwise a usage error with the engine's reason.</summary>
    public static CancelEngineSettings Validated(CancelEngineSettings settings) =>
        EngineSettingsSchema.ValidationError(settings) is { } error ? throw new UsageException(error) : settings;

    /// <summary>Parses a venue base URL given by <paramref name="source"/> (a flag or a settings key, named in the error).</summary>
    public static Uri ParseUrl(string text, string source) =>
        TryParseUrl(text, out var url)
            ? url
            : throw new UsageException($"bad URL '{text}' for {source}: give the venue's base URL, e.g. https://ascendex.com or http://127.0.0.1:8800");

    /// <summary>True when <paramref name="text"/> is a venue base URL the settings accept (<see cref="EngineSettingsSchema.TryParseUrl"/>).</summary>
    public static bool TryParseUrl(string text, [NotNullWhen(true)] out Uri? url) => EngineSettingsSchema.TryParseUrl(text, out url);

    /// <summary>An unusable CA file is a configuration error (exit 2), never a venue that refused the TLS handshake (exit 4).</summary>
    private static void CheckCaCertificate(string path)
    {
        if (EngineSettingsSchema.CheckCaCertificate(path) is { } error)
        {
            throw new UsageException(error);
        }
    }
}
