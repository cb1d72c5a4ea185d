using Oms.Cli.Arguments;
using Oms.Engine;
using Oms.Engine.Protocol;
using Oms.Engine.Sequencing;

namespace Oms.Cli.Settings;

/// <summary>Builds <see cref="CancelEngineSettings"/> from the <c>engine</c> section, then the command line on top.</summary>
internal static class EngineSettingsReader
{
    public const string Section = "engine";

    /// <summary>The engine options every engine-driving command accepts.</summary>
    public static readonly IReadOnlyList<OptionSpec> Options =
    [
        new("--settings", "FILE", "settings file (default ./runtimesettings.json when present)"),
        new("--profile", "v1|v2", "cancel API profile (settings engine.profile, default v1)"),
        new("--connections", "C", "persistent HTTP/2 connections (engine.connections, default 2)"),
        new("--wait-strategy", "NAME", "busy-spin|yielding|sleeping|blocking (engine.waitStrategy, default yielding)"),
        new("--request-timeout-ms", "T", "per-request timeout before reset and retry (engine.requestTimeoutMs, default 5000)"),
    ];

    public static CancelEngineSettings Read(RuntimeSettingsFile file, ParsedArguments args, Uri? baseUrl, string? accountGroup, double? rate, string? caCertificate)
    {
        var profileName = args.GetString("--profile") ?? file.GetString(Section, "profile", "v1");
        if (!CancelProfile.TryGetByName(profileName, out var profile))
        {
            throw new UsageException($"unknown profile '{profileName}' (use v1 or v2)");
        }

        var waitName = args.GetString("--wait-strategy") ?? file.GetString(Section, "waitStrategy", "yielding");
        if (!WaitStrategyFactory.TryParse(waitName, out var wait))
        {
            throw new UsageException($"unknown wait strategy '{waitName}' (use busy-spin, yielding, sleeping or blocking)");
        }

        var url = baseUrl ?? ParseUrl(file.GetOptionalString(Section, "baseUrl") ?? throw new UsageException("no venue: give --base-url (or engine.baseUrl in the settings)"));
        var group = accountGroup ?? file.GetOptionalString(Section, "accountGroup") ?? throw new UsageException("no account group: give --account-group (or engine.accountGroup in the settings)");
        var ca = caCertificate ?? file.GetOptionalString(Section, "caCertificate");
        if (ca is not null && !File.Exists(ca))
        {
            throw new UsageException($"cannot read CA certificate file '{ca}'");
        }

        var settings = new CancelEngineSettings
        {
            BaseUrl = url,
            AccountGroup = group,
            Profile = profile,
            WaitStrategy = wait,
            RingSize = file.GetInt(Section, "ringSize", 16_384, 2, 1 << 24),
            Connections = args.GetInt("--connections", file.GetInt(Section, "connections", 2, 1, 64), 1, 64),
            RequestTimeout = TimeSpan.FromMilliseconds(args.GetInt("--request-timeout-ms", file.GetInt(Section, "requestTimeoutMs", 5000, 1, 60_000), 1, 60_000)),
            RetryAttempts = file.GetInt(Section, "retryAttempts", 3, 0, 100),
            RetryBackoff = TimeSpan.FromMilliseconds(file.GetInt(Section, "retryBackoffMs", 100, 1, 60_000)),
            RateLimitPerSecond = rate ?? file.GetDouble(Section, "rateLimitPerSecond", 50, 0, 1_000_000),
            RateLimitBurst = file.GetInt(Section, "rateLimitBurst", 20, 1, 1_000_000),
            OrderStateCapacity = file.GetInt(Section, "orderStateCapacity", CancelEngineSettings.DefaultOrderStateCapacity, 16, CancelEngineSettings.MaxOrderStateCapacity),
            OrderStateRetention = TimeSpan.FromSeconds(file.GetInt(Section, "orderStateRetentionSeconds", CancelEngineSettings.DefaultOrderStateRetentionSeconds, 0, 86_400)),
            ExpiryMargin = TimeSpan.FromMilliseconds(file.GetInt(Section, "expiryMarginMs", 2000, 0, 29_999)),
            CaCertificatePath = ca,
        };
        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        return settings;
    }

    public static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.AbsolutePath != "/")
        {
            throw new UsageException($"bad URL '{text}': give the venue's base URL, e.g. https://ascendex.com or http://127.0.0.1:8800");
        }

        return url;
    }
}
