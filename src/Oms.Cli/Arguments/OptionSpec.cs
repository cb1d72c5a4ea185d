namespace Oms.Cli.Arguments;

/// <summary>One option a command accepts.</summary>
/// <param name="Name">The option with its dashes, e.g. <c>--port</c>.</param>
/// <param name="ValueName">The placeholder shown in help, or null for a flag that takes no value.</param>
/// <param name="Description">One line of help.</param>
internal sealed record OptionSpec(string Name, string? ValueName, string Description)
{
    public bool IsFlag => ValueName is null;
}
