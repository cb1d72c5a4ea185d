using System.Globalization;
using System.Text.Json;

namespace Oms.Engine.Settings;

/// <summary>What one settings key accepts: its kind, its range, and how to say so in an error.</summary>
/// <remarks>
/// One spec checks a value from either source a setting comes from: a JSON element of <c>runtimesettings.json</c>
/// (the <c>oms</c> command), or the text an <c>IConfiguration</c> section holds (the hosting package), where every
/// value is a string and JSON null arrives as an empty one. Both sources refuse the same values with the same words.
/// </remarks>
internal sealed class SettingSpec
{
    // A value too long for one line is cut: the error only has to show which value is meant.
    private const int ShownLimit = 60;

    private readonly Func<JsonElement, bool> _acceptsJson;
    private readonly Func<string?, bool> _acceptsText;

    private SettingSpec(JsonValueKind kind, string expected, Func<JsonElement, bool> acceptsJson, Func<string?, bool> acceptsText)
    {
        Kind = kind;
        Expected = expected;
        _acceptsJson = acceptsJson;
        _acceptsText = acceptsText;
    }

    /// <summary>The JSON kind a present, non-null value has.</summary>
    public JsonValueKind Kind { get; }

    /// <summary>What the key accepts, worded to follow "must be".</summary>
    public string Expected { get; }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], optionally a power of two.</summary>
    public static SettingSpec WholeNumber(int min, int max, bool powerOfTwo = false)
    {
        bool Fits(int number) => number >= min && number <= max && (!powerOfTwo || int.IsPow2(number));
        return new(
            JsonValueKind.Number,
            string.Create(CultureInfo.InvariantCulture, $"{(powerOfTwo ? "a power of two" : "a whole number")} between {min} and {max}"),
            value => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && Fits(number),
            text => TryReadInt(text, out var number) && Fits(number));
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or JSON null for "not set".</summary>
    public static SettingSpec OptionalWholeNumber(int min, int max)
    {
        bool Fits(int number) => number >= min && number <= max;
        return new(
            JsonValueKind.Number,
            string.Create(CultureInfo.InvariantCulture, $"a whole number between {min} and {max}, or null"),
            value => value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && Fits(number)),
            text => IsNull(text) || (TryReadInt(text, out var number) && Fits(number)));
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static SettingSpec Number(double min, double max)
    {
        bool Fits(double number) => number >= min && number <= max;
        return new(
            JsonValueKind.Number,
            string.Create(CultureInfo.InvariantCulture, $"a number between {min} and {max}"),
            value => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && Fits(number),
            text => TryReadDouble(text, out var number) && Fits(number));
    }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public static SettingSpec Boolean() => new(
        JsonValueKind.True,
        "true or false",
        value => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        text => bool.TryParse(text, out _));

    /// <summary>A non-empty string that <paramref name="accepts"/> (any when null); JSON null too when <paramref name="nullable"/>.</summary>
    public static SettingSpec Text(bool nullable, string expected = "a non-empty string", Func<string, bool>? accepts = null) => new(
        JsonValueKind.String,
        nullable ? expected + " or null" : expected,
        value => (nullable && value.ValueKind == JsonValueKind.Null)
            || (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && (accepts is null || accepts(text))),
        text => (nullable && IsNull(text)) || (text is { Length: > 0 } && (accepts is null || accepts(text))));

    /// <summary>True when <paramref name="value"/> (from a JSON settings file) fits this spec.</summary>
    public bool Accepts(JsonElement value) => _acceptsJson(value);

    /// <summary>True when <paramref name="text"/> (a configuration value; null or empty for JSON null) fits this spec.</summary>
    public bool AcceptsText(string? text) => _acceptsText(text);

    /// <summary>The error for a value this spec refuses: <c>'engine.ringSize' must be a power of two between 2 and 16777216, not 3</c>.</summary>
    /// <param name="name">The key's dotted name, e.g. <c>engine.ringSize</c>.</param>
    /// <param name="shown">The value as <see cref="Show(JsonElement)"/> or <see cref="ShowText"/> renders it.</param>
    public string Refusal(string name, string shown) => $"'{name}' must be {Expected}, not {shown}";

    /// <summary>The error for a key no spec describes.</summary>
    public static string UnknownKey(string name) => $"unknown key '{name}'";

    /// <summary>The error for a section given a value other than an object.</summary>
    public static string NotAnObject(string name) => $"section '{name}' must be an object";

    /// <summary>A JSON value as it is written in the file, cut to one short line.</summary>
    public static string Show(JsonElement value) => Cut(value.GetRawText().ReplaceLineEndings(" "));

    /// <summary>
    /// A configuration value as the JSON it most likely came from: a number or a boolean bare, null for an empty value
    /// (what JSON null becomes in a configuration), anything else as a quoted string; cut like <see cref="Show(JsonElement)"/>.
    /// </summary>
    public static string ShowText(string? text)
    {
        if (IsNull(text))
        {
            return "null";
        }

        if (bool.TryParse(text, out var flag))
        {
            return flag ? "true" : "false";
        }

        var bare = (char.IsAsciiDigit(text[0]) || text[0] == '-') && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        return Cut(bare ? text : "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
    }

    /// <summary>A configuration value read as a whole number, the way <see cref="WholeNumber"/> accepts it.</summary>
    public static bool TryReadInt(string? text, out int number) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);

    /// <summary>A configuration value read as a number, the way <see cref="Number"/> accepts it.</summary>
    public static bool TryReadDouble(string? text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    /// <summary>True for an absent value or the empty string a configuration makes of JSON null.</summary>
    public static bool IsNull([NotNullWhen(false)] string? text) => string.IsNullOrEmpty(text);

    private static string Cut(string text) => text.Length <= ShownLimit ? text : text[..ShownLimit] + "...";
}
