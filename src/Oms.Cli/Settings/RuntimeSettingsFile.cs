using System.Text.Json;
using Oms.Cli.Arguments;

namespace Oms.Cli.Settings;

/// <summary>
/// <c>runtimesettings.json</c>: the settings read at start, one object per section. Every key is known: an unknown
/// key or a value of the wrong kind stops the program with a one-line error naming it.
/// </summary>
internal sealed class RuntimeSettingsFile
{
    /// <summary>The file name looked for in the working directory when <c>--settings</c> is not given.</summary>
    public const string DefaultFileName = "runtimesettings.json";

    private readonly Dictionary<string, Dictionary<string, JsonElement>> _sections;

    private RuntimeSettingsFile(string? path, Dictionary<string, Dictionary<string, JsonElement>> sections)
    {
        Path = path;
        _sections = sections;
    }

    /// <summary>Where the settings came from; null when no file was found and built-in defaults apply.</summary>
    public string? Path { get; }

    /// <summary>The sections and keys this program understands.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> KnownKeys = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["venue"] = new HashSet<string>(StringComparer.Ordinal) { "port", "maxConcurrentStreams", "seedOrders", "symbol" },
        ["runtime"] = new HashSet<string>(StringComparer.Ordinal) { "gcServer", "gcConcurrent", "tieredPgo", "socketsInlineCompletions" },
        ["engine"] = new HashSet<string>(StringComparer.Ordinal)
        {
            "profile", "baseUrl", "accountGroup", "ringSize", "waitStrategy", "connections", "requestTimeoutMs", "retryAttempts",
            "retryBackoffMs", "rateLimitPerSecond", "rateLimitBurst", "orderStateCapacity", "orderStateRetentionSeconds", "expiryMarginMs",
            "caCertificate",
        },
    };

    /// <summary>Loads <paramref name="explicitPath"/>, or <see cref="DefaultFileName"/> from the working directory if present.</summary>
    public static RuntimeSettingsFile Load(string? explicitPath)
    {
        var path = explicitPath ?? (File.Exists(DefaultFileName) ? DefaultFileName : null);
        if (path is null)
        {
            return new RuntimeSettingsFile(null, []);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read settings file '{path}': {e.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Parses settings text; <paramref name="origin"/> names it in errors.</summary>
    public static RuntimeSettingsFile Parse(string text, string origin)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UsageException($"{origin}: not valid JSON ({e.Message})");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new UsageException($"{origin}: the settings must be one JSON object");
        }

        var sections = new Dictionary<string, Dictionary<string, JsonElement>>(StringComparer.Ordinal);
        foreach (var section in root.EnumerateObject())
        {
            if (section.Name.StartsWith('$'))
            {
                continue;
            }

            if (!KnownKeys.TryGetValue(section.Name, out var keys))
            {
                throw new UsageException($"{origin}: unknown section '{section.Name}'");
            }

            if (section.Value.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"{origin}: section '{section.Name}' must be an object");
            }

            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var setting in section.Value.EnumerateObject())
            {
                if (setting.Name.StartsWith('$'))
                {
                    continue;
                }

                if (!keys.Contains(setting.Name))
                {
                    throw new UsageException($"{origin}: unknown key '{section.Name}.{setting.Name}'");
                }

                values[setting.Name] = setting.Value;
            }

            sections[section.Name] = values;
        }

        return new RuntimeSettingsFile(origin, sections);
    }

    /// <summary>An integer setting, or <paramref name="defaultValue"/> when absent.</summary>
    public int GetInt(string section, string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!TryGet(section, key, out var value))
        {
            return defaultValue;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            throw new UsageException($"{Path}: '{section}.{key}' must be a whole number between {min} and {max}, not {value.GetRawText()}");
        }

        return number;
    }

    /// <summary>A non-empty string setting, or <paramref name="defaultValue"/> when absent.</summary>
    public string GetString(string section, string key, string defaultValue)
    {
        if (!TryGet(section, key, out var value))
        {
            return defaultValue;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString()))
        {
            throw new UsageException($"{Path}: '{section}.{key}' must be a non-empty string, not {value.GetRawText()}");
        }

        return value.GetString()!;
    }

    /// <summary>A number setting, or <paramref name="defaultValue"/> when absent.</summary>
    public double GetDouble(string section, string key, double defaultValue, double min, double max)
    {
        if (!TryGet(section, key, out var value))
        {
            return defaultValue;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number < min || number > max)
        {
            throw new UsageException($"{Path}: '{section}.{key}' must be a number between {min} and {max}, not {value.GetRawText()}");
        }

        return number;
    }

    /// <summary>A boolean setting, or <paramref name="defaultValue"/> when absent.</summary>
    public bool GetBool(string section, string key, bool defaultValue)
    {
        if (!TryGet(section, key, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new UsageException($"{Path}: '{section}.{key}' must be true or false, not {value.GetRawText()}"),
        };
    }

    /// <summary>An optional string setting: null when absent or JSON null.</summary>
    public string? GetOptionalString(string section, string key)
    {
        if (!TryGet(section, key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(value.GetString())
            ? value.GetString()
            : throw new UsageException($"{Path}: '{section}.{key}' must be a non-empty string or null, not {value.GetRawText()}");
    }

    private bool TryGet(string section, string key, out JsonElement value)
    {
        value = default;
        return _sections.TryGetValue(section, out var values) && values.TryGetValue(key, out value);
    }
}
