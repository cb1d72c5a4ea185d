using Oms.Engine.Sequencing;
using Oms.Engine.Settings;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Extensions.Hosting.Configuration;

/// <summary>
/// Builds <see cref="CancelEngineSettings"/> from an <see cref="IConfiguration"/> section holding the keys of
/// <c>runtimesettings.json</c>'s <c>engine</c> section, checked by the same specs as the <c>oms</c> command
/// (<see cref="EngineSettingsSchema"/>) and refused with the same words.
/// </summary>
/// <remarks>
/// <para>
/// Differences a configuration imposes, not chosen: every value is text (so <c>"64"</c> is as good as <c>64</c>), JSON
/// null arrives as an empty value, and keys match whatever their case (environment variables such as
/// <c>engine__ringSize</c> are spelt in any case). A key is named in errors by its configuration path with dots, which
/// for a section named <c>engine</c> is the name <c>runtimesettings.json</c> uses.
/// </para>
/// <para>
/// Every bad key is reported, not only the first. A key absent takes the engine's default, which is the file's default.
/// </para>
/// </remarks>
internal static class EngineConfigurationReader
{
    /// <summary>The nested section holding the API key and secret, a configuration's own key (the file never holds credentials).</summary>
    public const string CredentialsKey = "credentials";

    /// <summary>The API key's key in <see cref="CredentialsKey"/>.</summary>
    public const string ApiKeyKey = "apiKey";

    /// <summary>The API secret's key in <see cref="CredentialsKey"/>.</summary>
    public const string ApiSecretKey = "apiSecret";

    /// <summary>Reads <paramref name="section"/>; errors for every bad key, and the settings when the venue and account group are known.</summary>
    /// <param name="section">The engine's section.</param>
    /// <param name="credentialsFromCallback">True when the credentials come from a callback: then the section must hold none.</param>
    public static (CancelEngineSettings? Settings, IReadOnlyList<string> Errors) Read(IConfiguration section, bool credentialsFromCallback)
    {
        ArgumentNullException.ThrowIfNull(section);
        var name = NameOf(section);
        var errors = new List<string>();
        var confirmation = new Dictionary<string, string?>(StringComparer.Ordinal);
        var credentialsSeen = false;
        var engine = ReadSection(section, name, EngineSettingsSchema.EngineKeys, errors, (child, childName) =>
        {
            if (Is(child.Key, EngineSettingsSchema.ConfirmationKey))
            {
                if (!SettingSpec.IsNull(child.Value))
                {
                    errors.Add(SettingSpec.NotAnObject(childName));
                }
                else
                {
                    foreach (var (key, value) in ReadSection(child, childName, EngineSettingsSchema.ConfirmationKeys, errors, static (_, _) => false))
                    {
                        confirmation[key] = value;
                    }
                }

                return true;
            }

            if (Is(child.Key, CredentialsKey))
            {
                credentialsSeen = true;
                CheckCredentials(child, childName, credentialsFromCallback, errors);
                return true;
            }

            return false;
        });

        if (!credentialsFromCallback && !credentialsSeen)
        {
            CheckCredentials(section.GetSection(CredentialsKey), Join(name, CredentialsKey), credentialsFromCallback, errors);
        }

        var url = engine.GetValueOrDefault("baseUrl");
        var group = engine.GetValueOrDefault("accountGroup");
        if (url is null)
        {
            errors.Add($"no venue: set '{Join(name, "baseUrl")}'");
        }

        if (group is null)
        {
            errors.Add($"no account group: set '{Join(name, "accountGroup")}'");
        }

        if (engine.GetValueOrDefault("caCertificate") is { } ca && EngineSettingsSchema.CheckCaCertificate(ca) is { } caError)
        {
            errors.Add(caError);
        }

        if (errors.Count > 0 || url is null || group is null || !EngineSettingsSchema.TryParseUrl(url, out var baseUrl))
        {
            return (null, errors);
        }

        return (Build(new CancelEngineSettings { BaseUrl = baseUrl, AccountGroup = group }, engine, confirmation), errors);
    }

    /// <summary>The credentials a valid section holds (checked by <see cref="Read"/> first).</summary>
    public static ApiCredentials ReadCredentials(IConfiguration section)
    {
        var credentials = section.GetSection(CredentialsKey);
        return new ApiCredentials(Find(credentials, ApiKeyKey)?.Value ?? "", Find(credentials, ApiSecretKey)?.Value ?? "");
    }

    /// <summary>The section's configuration path with dots (<c>engine</c>, <c>oms.engine</c>); empty for a configuration root.</summary>
    public static string NameOf(IConfiguration section) =>
        section is IConfigurationSection { Path: var path } ? path.Replace(ConfigurationPath.KeyDelimiter, ".", StringComparison.Ordinal) : "";

    // Absent keys keep the record's defaults, which are the file's.
    private static CancelEngineSettings Build(CancelEngineSettings settings, Dictionary<string, string?> engine, Dictionary<string, string?> confirmation)
    {
        var defaults = new ConfirmationSettings();
        return settings with
        {
            Profile = engine.GetValueOrDefault("profile") is { } profileName && CancelProfile.TryGetByName(profileName, out var profile) ? profile : settings.Profile,
            WaitStrategy = WaitStrategyFactory.TryParse(engine.GetValueOrDefault("waitStrategy"), out var wait) ? wait : settings.WaitStrategy,
            WaitSpin = TimeSpan.FromMicroseconds(Int(engine, "waitSpinMicroseconds", (int)settings.WaitSpin.TotalMicroseconds)),
            ReadOnConsumer = Bool(engine, "readOnConsumer", settings.ReadOnConsumer),
            RingSize = Int(engine, "ringSize", settings.RingSize),
            Connections = Int(engine, "connections", settings.Connections),
            RequestTimeout = Millis(engine, "requestTimeoutMs", settings.RequestTimeout),
            RetryAttempts = Int(engine, "retryAttempts", settings.RetryAttempts),
            RetryBackoff = Millis(engine, "retryBackoffMs", settings.RetryBackoff),
            RateLimitPerSecond = SettingSpec.TryReadDouble(engine.GetValueOrDefault("rateLimitPerSecond"), out var rate) ? rate : settings.RateLimitPerSecond,
            RateLimitBurst = Int(engine, "rateLimitBurst", settings.RateLimitBurst),
            BatchCancel = EngineSettingsSchema.TryParseBatch(engine.GetValueOrDefault("batchCancel"), out var batch) ? batch : settings.BatchCancel,
            InFlightUntilKeyProven = Int(engine, "inFlightUntilKeyProven", settings.InFlightUntilKeyProven),
            StartWithoutVenue = Bool(engine, "startWithoutVenue", settings.StartWithoutVenue),
            ConsumerCpu = SettingSpec.TryReadInt(engine.GetValueOrDefault("consumerCpu"), out var cpu) ? cpu : null,
            OrderStateCapacity = Int(engine, "orderStateCapacity", settings.OrderStateCapacity),
            OrderStateRetention = TimeSpan.FromSeconds(Int(engine, "orderStateRetentionSeconds", (int)settings.OrderStateRetention.TotalSeconds)),
            ExpiryMargin = Millis(engine, "expiryMarginMs", settings.ExpiryMargin),
            CaCertificatePath = engine.GetValueOrDefault("caCertificate"),
            MaxResponseBodySize = Int(engine, "maxResponseBodyBytes", settings.MaxResponseBodySize),
            ConnectionReceiveWindow = Int(engine, "connectionReceiveWindowBytes", settings.ConnectionReceiveWindow),
            ReconnectMinDelay = Millis(engine, "reconnectMinDelayMs", settings.ReconnectMinDelay),
            ReconnectMaxDelay = Millis(engine, "reconnectMaxDelayMs", settings.ReconnectMaxDelay),
            ReconnectBackoffResetAfter = Millis(engine, "reconnectBackoffResetMs", settings.ReconnectBackoffResetAfter),
            MaxConsecutiveTimeouts = Int(engine, "maxConsecutiveTimeouts", settings.MaxConsecutiveTimeouts),
            PingInterval = Millis(engine, "pingIntervalMs", settings.PingInterval),
            PingTimeout = Millis(engine, "pingTimeoutMs", settings.PingTimeout),
            MaxHeaderBlockFrames = Int(engine, "maxHeaderBlockFrames", settings.MaxHeaderBlockFrames),
            HeaderBlockTimeout = Millis(engine, "headerBlockTimeoutMs", settings.HeaderBlockTimeout),
            Confirmation = new ConfirmationSettings
            {
                Enabled = Bool(confirmation, "enabled", defaults.Enabled),
                UseStream = Bool(confirmation, "useStream", defaults.UseStream),
                StreamWait = Millis(confirmation, "streamWaitMs", defaults.StreamWait),
                Deadline = Millis(confirmation, "deadlineMs", defaults.Deadline),
                RecheckInterval = Millis(confirmation, "recheckMs", defaults.RecheckInterval),
                MaxIdsPerStatusRequest = Int(confirmation, "maxIdsPerStatusRequest", defaults.MaxIdsPerStatusRequest),
                Capacity = Int(confirmation, "capacity", defaults.Capacity),
            },
        };
    }

    // One section's keys, each checked against its spec; keys starting with $ are comments, as in the file. Returns the
    // accepted values by the schema's spelling of their key, null for an explicit JSON null.
    private static Dictionary<string, string?> ReadSection(
        IConfiguration section, string name, IReadOnlyDictionary<string, SettingSpec> keys, List<string> errors, Func<IConfigurationSection, string, bool> nested)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var child in section.GetChildren())
        {
            var childName = Join(name, child.Key);
            if (child.Key.StartsWith('$') || nested(child, childName))
            {
                continue;
            }

            var known = keys.Keys.FirstOrDefault(key => Is(child.Key, key));
            if (known is null)
            {
                errors.Add(SettingSpec.UnknownKey(childName));
                continue;
            }

            var spec = keys[known];
            if (child.GetChildren().Any())
            {
                errors.Add(spec.Refusal(childName, "an object"));
            }
            else if (!spec.AcceptsText(child.Value))
            {
                errors.Add(spec.Refusal(childName, SettingSpec.ShowText(child.Value)));
            }
            else
            {
                values[known] = SettingSpec.IsNull(child.Value) ? null : child.Value;
            }
        }

        return values;
    }

    // The values themselves never reach an error: a secret pasted into the wrong key must not end up in a log.
    private static void CheckCredentials(IConfiguration credentials, string name, bool fromCallback, List<string> errors)
    {
        if (fromCallback)
        {
            errors.Add($"'{name}' is set, but AddCancelEngine was given a credentials callback: keep the credentials in one place");
            return;
        }

        foreach (var child in credentials.GetChildren())
        {
            if (!Is(child.Key, ApiKeyKey) && !Is(child.Key, ApiSecretKey) && !child.Key.StartsWith('$'))
            {
                errors.Add(SettingSpec.UnknownKey(Join(name, child.Key)));
            }
        }

        var key = Find(credentials, ApiKeyKey)?.Value;
        var secret = Find(credentials, ApiSecretKey)?.Value;
        if (SettingSpec.IsNull(key) || SettingSpec.IsNull(secret))
        {
            errors.Add($"no credentials: set '{Join(name, ApiKeyKey)}' and '{Join(name, ApiSecretKey)}' (user secrets or environment variables, never a committed file), or give AddCancelEngine a credentials callback");
            return;
        }

        try
        {
            _ = new ApiCredentials(key, secret);
        }
        catch (ArgumentException e)
        {
            errors.Add($"'{name}': {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}");
        }
    }

    private static IConfigurationSection? Find(IConfiguration section, string key) =>
        section.GetChildren().FirstOrDefault(child => Is(child.Key, key));

    private static bool Is(string key, string schemaKey) => string.Equals(key, schemaKey, StringComparison.OrdinalIgnoreCase);

    private static string Join(string name, string key) => name.Length == 0 ? key : name + "." + key;

    private static int Int(Dictionary<string, string?> values, string key, int fallback) =>
        SettingSpec.TryReadInt(values.GetValueOrDefault(key), out var number) ? number : fallback;

    private static TimeSpan Millis(Dictionary<string, string?> values, string key, TimeSpan fallback) =>
        SettingSpec.TryReadInt(values.GetValueOrDefault(key), out var number) ? TimeSpan.FromMilliseconds(number) : fallback;

    private static bool Bool(Dictionary<string, string?> values, string key, bool fallback) =>
        bool.TryParse(values.GetValueOrDefault(key), out var flag) ? flag : fallback;
}
