namespace Oms.LoadHarness;

/// <summary>The load harness's entry point: see <see cref="HarnessOptions.Usage"/>.</summary>
public static class Program
{
    private const int UsageError = 2;

    /// <summary>Parses the options and runs the harness; the exit code says whether every count reconciled.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(HarnessOptions.Usage);
            return 0;
        }

        HarnessOptions options;
        try
        {
            options = HarnessOptions.Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + HarnessOptions.Usage).ConfigureAwait(false);
            return UsageError;
        }

        return await new Harness(options, Console.Out, Console.Error).RunAsync().ConfigureAwait(false);
    }
}
