namespace Oms.Cli.Arguments;

/// <summary>One option a command accepts.</summary>
/// <param name="Name">The option with its dashes, e.g. <c>--port</c>.</param>
/// <param name="ValueName">The placeholder shown in help, or null for a flag that takes no value.</param>
/// <param name="Description">One line of help.</param>
/// <param name="Repeatable">Whether it may be given more than once (each value kept, in order); a flag never is.</param>
internal sealed record OptionSpec(string Name, string? ValueName, string Description, bool Repeatable = false)
{
    public bool IsFlag => ValueName is null;
}
