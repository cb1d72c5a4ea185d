using Oms.Cli.Arguments;

namespace Oms.Cli.Commands;

/// <summary>Finds the command named by the first argument, runs it, and turns failures into exit codes.</summary>
internal static class CommandRunner
{
    private const string Overview = """
        usage: oms <command> [options]

        commands:
          venue     run the AscendEX cancel venue simulator (HTTP/2, h2c or TLS) until Ctrl+C

        'oms <command> --help' lists a command's options.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken stop)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            (args.Length == 0 ? error : output).Write(Overview);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }

        try
        {
            switch (args[0])
            {
                case "venue":
                    var parsed = ParsedArguments.Parse(args[1..], VenueCommand.Options);
                    if (parsed.HelpRequested)
                    {
                        output.Write(ParsedArguments.Help(VenueCommand.Usage, VenueCommand.Options));
                        return ExitCodes.Success;
                    }

                    return await VenueCommand.RunAsync(parsed, output, stop).ConfigureAwait(false);
                default:
                    throw new UsageException($"unknown command '{args[0]}' (try 'oms --help')");
            }
        }
        catch (UsageException e)
        {
            error.WriteLine($"oms: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
