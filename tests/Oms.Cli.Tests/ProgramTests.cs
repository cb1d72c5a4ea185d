namespace Oms.Cli.Tests;

public sealed class ProgramTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MissingRuntimeKnobs_SettingsGivenEitherWay_AreReadFromThatFile(bool equalsForm)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "runtime": { "gcServer": true } }""");
            string[] args = equalsForm ? ["venue", "--settings=" + path] : ["venue", "--settings", path];

            // The test host runs workstation GC, so a file asking for server GC always leaves it missing.
            var missing = Program.MissingRuntimeKnobs(args, _ => null);

            Assert.Equal("1", missing["DOTNET_gcServer"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingRuntimeKnobs_BadValueInTheFile_StopsWithOneLineNamingTheKey()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "engine": { "ringSize": "lots" } }""");

            var error = Assert.Throws<UsageException>(() => Program.MissingRuntimeKnobs(["venue", "--settings=" + path], _ => null));

            Assert.Equal($"{path}:1:15: 'engine.ringSize' must be a power of two between 2 and 16777216, not \"lots\"", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
