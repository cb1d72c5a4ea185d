using Oms.Cli.Arguments;

namespace Oms.Cli.Commands;

/// <summary>One command of <c>oms</c>: its name, its line in the overview, its usage, the options it accepts, and what runs it.</summary>
/// <param name="Name">The first argument that picks it, e.g. <c>demo</c>.</param>
/// <param name="Summary">Its line in <c>oms --help</c>.</param>
/// <param name="Usage">The usage line of <c>oms NAME --help</c>.</param>
/// <param name="Options">Every option it accepts; anything else is a usage error.</param>
/// <param name="RunAsync">Runs it on the parsed options and returns the exit code.</param>
internal sealed record Command(
    string Name,
    string Summary,
    string Usage,
    IReadOnlyList<OptionSpec> Options,
    Func<ParsedArguments, CommandContext, Task<ExitCode>> RunAsync);
