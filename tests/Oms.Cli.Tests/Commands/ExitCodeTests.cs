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

    [Fact]
    public void Values_AreTheDocumentedTable()
    {
        Assert.Equal(
            [(0, "Success"), (1, "Undecided"), (2, "Usage"), (3, "CredentialsRefused"), (4, "Unreachable"), (5, "Bug"), (130, "Interrupted"), (143, "Terminated")],
            Enum.GetValues<ExitCode>().Select(code => ((int)code, code.ToString())));
    }
}
