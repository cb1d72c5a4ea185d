using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;
using Oms.Cli.Commands;

namespace Oms.Cli.Syntax;

/// <summary>
/// The options of the command a <see cref="ParseResult"/> chose, read by name. The parser has already checked which
/// options exist, how many values each takes and how often it may be given; this reads the values and checks the
/// ranges, which depend on the command (and on the settings file, for the defaults).
/// </summary>
internal sealed class OptionValues(ParseResult result) : IOptionValues
{
    /// <summary>
    /// Parses <paramref name="args"/> (the whole command line, command first) with the catalog's definitions; a
    /// <see cref="UsageException"/> saying what is wrong when the parser found an error.
    /// </summary>
    public static OptionValues Parse(IReadOnlyList<string> args)
    {
        var parsed = CommandCatalog.CreateRoot().Parse(args);
        return parsed.Action is ParseErrorAction ? throw new UsageException(Describe(parsed)) : new OptionValues(parsed);
    }

    /// <summary>
    /// The first parse error on one line, with the command whose help would have told: the user's own token when one
    /// was not understood, else the parser's message.
    /// </summary>
    public static string Describe(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var help = command is RootCommand ? "oms --help" : $"oms {command.Name} --help";
        string what;
        if (parsed.UnmatchedTokens is [var first, ..])
        {
            what = first.StartsWith('-') ? $"unknown option '{first}'"
                : command is RootCommand ? $"unknown command '{first}'"
                : $"unexpected argument '{first}'";
        }
        else
        {
            what = parsed.Errors.Count > 0 ? parsed.Errors[0].Message.ReplaceLineEndings(" ").TrimEnd('.') : "bad command line";
        }

        return $"{what} (try '{help}')";
    }

    public bool Has(string name) => Find(name) is not null;

    public string? GetString(string name) => Find(name) is { Tokens: [var first, ..] } ? first.Value : null;

    /// <summary>Every value of a repeatable option, in the order given; empty when absent.</summary>
    public IReadOnlyList<string> GetAll(string name) => Find(name) is { } option ? [.. option.Tokens.Select(token => token.Value)] : [];

    public int GetInt(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        if (GetString(name) is not { } text)
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
        if (GetString(name) is not { } text)
        {
            return defaultValue;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"option '{name}' needs a whole number, not '{text}'");
    }

    /// <summary>The option's value as a share in [0, 1]; 0 when it was not given.</summary>
    public double GetShare(string name)
    {
        if (GetString(name) is not { } text)
        {
            return 0;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : throw new UsageException($"option '{name}' needs a share between 0 and 1, not '{text}'");
    }

    // An option the chosen command does not declare reads as absent: the engine settings ask for --no-confirm and
    // --batch whatever the command, and only demo and load have them. (ParseResult.GetResult(string) throws instead.)
    private OptionResult? Find(string name) =>
        result.CommandResult.Command.Options.FirstOrDefault(option => option.Name == name) is { } declared
            && result.GetResult(declared) is { Implicit: false } given
            ? given
            : null;
}
