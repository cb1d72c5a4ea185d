namespace Oms.Cli;

/// <summary>The <c>oms</c> command's entry point.</summary>
public static class Program
{
    /// <summary>Runs the command named by the first argument and returns its exit code.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Console.Error.WriteLine("usage: oms <command> [options]");
        return 2;
    }
}
