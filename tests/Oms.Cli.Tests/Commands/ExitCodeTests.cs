using System.Runtime.InteropServices;
using Oms.Cli.Commands;

namespace Oms.Cli.Tests.Commands;

/// <summary>The exit-code table the README documents.</summary>
public sealed class ExitCodeTests
{
    [Theory]
    [InlineData(0, "SIGINT", 130)]
    [InlineData(1, "SIGINT", 130)]
    [InlineData(0, "SIGTERM", 143)]
    [InlineData(3, "SIGTERM", 143)]
    [InlineData(0, null, 0)]
    [InlineData(1, null, 1)]
    [InlineData(4, null, 4)]
    public void AfterSignal_ARunStoppedByASignal_ExitsByTheShellsConvention(int commandCode, string? signal, int expected)
    {
        PosixSignal? received = signal is null ? null : Enum.Parse<PosixSignal>(signal);

        Assert.Equal(expected, CommandRunner.AfterSignal(commandCode, received));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("load --help")]
    [InlineData("venue --help")]
    public async Task Help_ListsEveryExitCode(string args)
    {
        using var output = new StringWriter();

        var exit = await CommandRunner.RunAsync(args.Split(' '), output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.All(Enum.GetValues<ExitCode>(), code => Assert.Contains($"\n  {(int)code,3}  ", output.ToString(), StringComparison.Ordinal));
        Assert.Contains("  6  some order's fate was not confirmed by the deadline", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadmeTable_ListsEveryExitCode()
    {
        var readme = File.ReadAllText(Path.Combine(Oms.Testing.Files.Repository.Root(), "README.md"));

        Assert.All(Enum.GetValues<ExitCode>().Where(code => (int)code < 128), code => Assert.Contains($"| `{(int)code}` |", readme, StringComparison.Ordinal));
        Assert.Contains("| `130`, `143` |", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_AreTheDocumentedTable()
    {
        Assert.Equal(
            [(0, "Success"), (1, "Undecided"), (2, "Usage"), (3, "CredentialsRefused"), (4, "Unreachable"), (5, "Bug"), (6, "Unconfirmed"), (130, "Interrupted"), (143, "Terminated")],
            Enum.GetValues<ExitCode>().Select(code => ((int)code, code.ToString())));
    }
}
