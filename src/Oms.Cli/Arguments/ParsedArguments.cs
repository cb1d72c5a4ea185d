using System.Globalization;

namespace Oms.Cli.Arguments;

/// <summary>The options given to one command, checked against what the command accepts.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _repeated = new(StringComparer.Ordinal);

    private ParsedArguments()
    {
    }

    /// <summary>True when <c>--help</c> or <c>-h</c> was given.</summary>
    public bool HelpRequested { get; private set; }

    /// <summary>Reads <c>--name value</c>, <c>--name=value</c> and <c>--flag</c>; anything else is a <see cref="UsageException"/>.</summary>
    public static ParsedArguments Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs)
    {
        var parsed = new ParsedArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                parsed.HelpRequested = true;
                continue;
            }

            string name = arg;
            string? inlineValue = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                inlineValue = arg[(equals + 1)..];
            }

            var spec = specs.FirstOrDefault(s => s.Name == name)
                ?? throw new UsageException(arg.StartsWith('-') ? $"unknown option '{name}'" : $"unexpected argument '{arg}'");
            if (parsed._values.ContainsKey(name) && !(spec.Repeatable && !spec.IsFlag))
            {
                throw new UsageException($"option '{name}' given twice");
            }

            if (spec.IsFlag)
            {
                if (inlineValue is not null)
                {
                    throw new UsageException($"option '{name}' takes no value");
                }

                parsed._values[name] = null;
            }
            else
            {
                if (inlineValue is null && i + 1 >= args.Count)
                {
                    throw new UsageException($"option '{name}' needs a value ({spec.ValueName})");
                }

                var value = inlineValue ?? args[++i];
                parsed._values.TryAdd(name, value);
                if (spec.Repeatable)
                {
                    if (!parsed._repeated.TryGetValue(name, out var values))
                    {
                        values = [];
                        parsed._repeated[name] = values;
                    }

                    values.Add(value);
                }
            }
        }

        return parsed;
    }

    /// <summary>
    /// The value of option <paramref name="name"/> (as <c>--name value</c> or <c>--name=value</c>) in arguments not yet
    /// checked against a command's options; null when absent. For the few options needed before a command is chosen.
    /// </summary>
    public static string? FindValue(ReadOnlySpan<string> args, string name)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == name)
            {
                return i + 1 < args.Length ? args[i + 1] : null;
            }

            if (args[i].Length > name.Length && args[i].StartsWith(name, StringComparison.Ordinal) && args[i][name.Length] == '=')
            {
                return args[i][(name.Length + 1)..];
            }
        }

        return null;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? GetString(string name) => _values.GetValueOrDefault(name);

    /// <summary>Every value of a repeatable option, in the order given; empty when absent.</summary>
    public IReadOnlyList<string> GetAll(string name) => _repeated.TryGetValue(name, out var values) ? values : [];

    public int GetInt(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"option '{name}' needs a whole number between {min} and {max}, not '{text}'");
        }

        return value;
    }

    public long GetLong(string name, long defaultValue)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"option '{name}' needs a whole number, not '{text}'");
    }

    public double GetShare(string name)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return 0;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : throw new UsageException($"option '{name}' needs a share between 0 and 1, not '{text}'");
    }

    /// <summary>Formats the help of a command.</summary>
    public static string Help(string usage, IReadOnlyList<OptionSpec> specs)
    {
        var lines = new System.Text.StringBuilder();
        lines.AppendLine(CultureInfo.InvariantCulture, $"usage: {usage}");
        lines.AppendLine();
        var width = specs.Max(s => s.Name.Length + (s.ValueName is null ? 0 : s.ValueName.Length + 1));
        foreach (var spec in specs)
        {
            var left = spec.ValueName is null ? spec.Name : spec.Name + " " + spec.ValueName;
            lines.AppendLine(CultureInfo.InvariantCulture, $"  {left.PadRight(width)}  {spec.Description}");
        }

        return lines.ToString();
    }
}
