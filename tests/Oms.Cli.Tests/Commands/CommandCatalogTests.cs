using System.Text.RegularExpressions;

namespace Oms.Cli.Tests.Commands;

/// <summary>The README's command list against the catalog: every command documented, every documented option real.</summary>
public sealed class CommandCatalogTests
{
    [Fact]
    public void ReadmeCommandTable_ListsEveryCommandOfTheCatalog()
    {
        var rows = CommandRows();

        Assert.Equal(CommandCatalog.Names, rows.Select(row => row.Name));
        Assert.Equal(CommandCatalog.Names, CommandCatalog.CreateRoot().Subcommands.Select(command => command.Name));
    }

    [Fact]
    public void ReadmeCommandTable_NamesOnlyOptionsTheCommandAccepts()
    {
        foreach (var (name, usage) in CommandRows())
        {
            var command = CommandCatalog.Find(name);
            var options = Regex.Matches(usage, @"--[a-z][a-z-]*").Select(m => m.Value).Distinct();

            Assert.All(options, option => Assert.True(command.Options.Any(o => o.Name == option), $"the README shows {option} for oms {name}, which does not accept it"));
        }
    }

    // The first column of the README's command table: `oms NAME ...`.
    private static List<(string Name, string Usage)> CommandRows()
    {
        var readme = File.ReadAllText(Path.Combine(Oms.Testing.Files.Repository.Root(), "README.md")).ReplaceLineEndings("\n");
        return [.. Regex.Matches(readme, @"(?m)^\| `oms ([a-z-]+)([^`]*)` \|").Select(m => (m.Groups[1].Value, m.Groups[2].Value))];
    }
}
