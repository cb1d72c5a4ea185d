namespace Oms.Cli.Syntax;

/// <summary>
/// The options given to one command, by name with their dashes (<c>--connections</c>): what the settings readers need
/// of a parsed command line, so they do not depend on the parser.
/// </summary>
internal interface IOptionValues
{
    /// <summary>True when the option was given (a flag, or an option with its value).</summary>
    bool Has(string name);

    /// <summary>The option's value, or null when it was not given or the command has no such option.</summary>
    string? GetString(string name);

    /// <summary>
    /// The option's value as a whole number in [<paramref name="min"/>, <paramref name="max"/>], or
    /// <paramref name="defaultValue"/> when it was not given; a <see cref="UsageException"/> naming it otherwise.
    /// </summary>
    int GetInt(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue);
}
