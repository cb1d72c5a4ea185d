using System.Globalization;
using System.Text.Json;

namespace Oms.Cli.Settings;

/// <summary>What one key of <c>runtimesettings.json</c> accepts: its kind, its range, and how to say so in an error.</summary>
/// <remarks>
/// Every value in the file is checked against its spec when the file is loaded, whichever command runs, so a bad
/// value stops the program at start even when that command never reads it.
/// </remarks>
internal sealed class SettingSpec
{
    private readonly Func<JsonElement, bool> _accepts;

    private SettingSpec(JsonValueKind kind, string expected, Func<JsonElement, bool> accepts)
    {
        Kind = kind;
        Expected = expected;
        _accepts = accepts;
    }

    /// <summary>The JSON kind a present, non-null value has.</summary>
    public JsonValueKind Kind { get; }

    /// <summary>What the key accepts, worded to follow "must be".</summary>
    public string Expected { get; }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], optionally a power of two.</summary>
    public static SettingSpec WholeNumber(int min, int max, bool powerOfTwo = false) => new(
        JsonValueKind.Number,
        string.Create(CultureInfo.InvariantCulture, $"{(powerOfTwo ? "a power of two" : "a whole number")} between {min} and {max}"),
        value => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max && (!powerOfTwo || int.IsPow2(number)));

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or JSON null for "not set".</summary>
    public static SettingSpec OptionalWholeNumber(int min, int max) => new(
        JsonValueKind.Number,
        string.Create(CultureInfo.InvariantCulture, $"a whole number between {min} and {max}, or null"),
        value => value.ValueKind == JsonValueKind.Null
            || (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max));

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static SettingSpec Number(double min, double max) => new(
        JsonValueKind.Number,
        string.Create(CultureInfo.InvariantCulture, $"a number between {min} and {max}"),
        value => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number >= min && number <= max);

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public static SettingSpec Boolean() => new(JsonValueKind.True, "true or false", value => value.ValueKind is JsonValueKind.True or JsonValueKind.False);

    /// <summary>A non-empty string that <paramref name="accepts"/> (any when null); JSON null too when <paramref name="nullable"/>.</summary>
    public static SettingSpec Text(bool nullable, string expected = "a non-empty string", Func<string, bool>? accepts = null) => new(
        JsonValueKind.String,
        nullable ? expected + " or null" : expected,
        value => (nullable && value.ValueKind == JsonValueKind.Null)
            || (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && (accepts is null || accepts(text))));

    /// <summary>True when <paramref name="value"/> fits this spec.</summary>
    public bool Accepts(JsonElement value) => _accepts(value);
}
