using System.Text.Json;
using Oms.Cli.Commands;

namespace Oms.Cli.Settings;

/// <summary>
/// <c>runtimesettings.json</c>: the settings read at start, one object per section. Every key is known and every
/// value is checked when the file loads, whichever command runs: an unknown key or a bad value stops the program with
/// a one-line error naming it.
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

    /// <summary>The sections and keys this program understands, each with what it accepts; each section's keys are declared beside the code that reads them.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, SettingSpec>> Schema = new Dictionary<string, IReadOnlyDictionary<string, SettingSpec>>(StringComparer.Ordinal)
    {
        [VenueCommand.Section] = VenueCommand.SettingsKeys,
        [RuntimeKnobs.Section] = RuntimeKnobs.SettingsKeys,
        [EngineSettingsReader.Section] = EngineSettingsReader.SettingsKeys,
        [EngineSettingsReader.ConfirmationSection] = EngineSettingsReader.ConfirmationKeys,
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

    /// <summary>
    /// Parses settings text; <paramref name="origin"/> names it in errors, with the line and column (from 1, as an editor
    /// counts them) of the broken JSON or of the key at fault: <c>origin:line:column: what is wrong</c>.
    /// </summary>
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
            var where = SettingsPositions.OfError(text, e) is { } place ? At(origin, place) : origin;
            throw new UsageException($"{where}: not valid JSON ({SettingsPositions.MessageOf(e)})");
        }

        var positions = SettingsPositions.Index(text);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new UsageException($"{At(origin, positions.Root)}: the settings must be one JSON object");
        }

        var sections = new Dictionary<string, Dictionary<string, JsonElement>>(StringComparer.Ordinal);
        foreach (var section in root.EnumerateObject())
        {
            if (section.Name.StartsWith('$'))
            {
                continue;
            }

            // A dotted schema name is a nested section, reachable only inside its parent.
            if (section.Name.Contains('.', StringComparison.Ordinal) || !Schema.ContainsKey(section.Name))
            {
                throw new UsageException($"{At(origin, positions.Of(section.Name))}: unknown section '{section.Name}'");
            }

            ReadSection(section.Name, section.Value, origin, positions, sections);
        }

        return new RuntimeSettingsFile(origin, sections);
    }

    // One section's keys, each checked against its spec; a key whose value is an object and whose dotted name is a
    // section of the schema (engine.confirmation) is read as that nested section.
    private static void ReadSection(string name, JsonElement section, string origin, SettingsPositions positions, Dictionary<string, Dictionary<string, JsonElement>> sections)
    {
        if (section.ValueKind != JsonValueKind.Object)
        {
            throw new UsageException($"{At(origin, positions.Of(name))}: {SettingSpec.NotAnObject(name)}");
        }

        var keys = Schema[name];
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var setting in section.EnumerateObject())
        {
            if (setting.Name.StartsWith('$'))
            {
                continue;
            }

            var nested = name + "." + setting.Name;
            if (Schema.ContainsKey(nested))
            {
                ReadSection(nested, setting.Value, origin, positions, sections);
                continue;
            }

            if (!keys.TryGetValue(setting.Name, out var spec))
            {
                throw new UsageException($"{At(origin, positions.Of(nested))}: {SettingSpec.UnknownKey(nested)}");
            }

            if (!spec.Accepts(setting.Value))
            {
                throw new UsageException($"{At(origin, positions.Of(nested))}: {spec.Refusal(nested, SettingSpec.Show(setting.Value))}");
            }

            values[setting.Name] = setting.Value;
        }

        sections[name] = values;
    }

    /// <summary>An integer setting (checked against <see cref="Schema"/> at load), or <paramref name="defaultValue"/> when absent.</summary>
    public int GetInt(string section, string key, int defaultValue) =>
        TryGet(section, key, JsonValueKind.Number, out var value) ? value.GetInt32() : defaultValue;

    /// <summary>A string setting (checked against <see cref="Schema"/> at load), or <paramref name="defaultValue"/> when absent.</summary>
    public string GetString(string section, string key, string defaultValue) =>
        TryGet(section, key, JsonValueKind.String, out var value) ? value.GetString()! : defaultValue;

    /// <summary>A number setting (checked against <see cref="Schema"/> at load), or <paramref name="defaultValue"/> when absent.</summary>
    public double GetDouble(string section, string key, double defaultValue) =>
        TryGet(section, key, JsonValueKind.Number, out var value) ? value.GetDouble() : defaultValue;

    /// <summary>A boolean setting (checked against <see cref="Schema"/> at load), or <paramref name="defaultValue"/> when absent.</summary>
    public bool GetBool(string section, string key, bool defaultValue) =>
        TryGet(section, key, JsonValueKind.True, out var value) ? value.ValueKind == JsonValueKind.True : defaultValue;

    /// <summary>An optional integer setting: null when absent or JSON null.</summary>
    public int? GetOptionalInt(string section, string key) =>
        TryGet(section, key, JsonValueKind.Number, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    /// <summary>An optional string setting: null when absent or JSON null.</summary>
    public string? GetOptionalString(string section, string key) =>
        TryGet(section, key, JsonValueKind.String, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string At(string origin, (int Line, int Column) place) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{origin}:{place.Line}:{place.Column}");

    private bool TryGet(string section, string key, JsonValueKind kind, out JsonElement value)
    {
        if (!Schema.TryGetValue(section, out var keys) || !keys.TryGetValue(key, out var spec) || spec.Kind != kind)
        {
            // A getter of the wrong kind, or a key missing from the schema, is a bug in this program, not in the file.
            throw new InvalidOperationException($"setting '{section}.{key}' is not a known {kind} setting");
        }

        value = default;
        return _sections.TryGetValue(section, out var values) && values.TryGetValue(key, out value);
    }
}
