using Oms.Cli.Arguments;
using Oms.Cli.Settings;
using Oms.Engine;

namespace Oms.Cli.Tests.Settings;

public sealed class EngineSettingsReaderTests
{
    private static readonly CancelEngineSettings s_defaults = new() { BaseUrl = new Uri("https://ascendex.com"), AccountGroup = "5" };

    [Fact]
    public void Read_KeyProofLimitAndStartWithoutVenue_ReachTheEngineSettings()
    {
        var file = RuntimeSettingsFile.Parse("""{ "engine": { "inFlightUntilKeyProven": 0, "startWithoutVenue": true } }""", "test.json");

        var settings = EngineSettingsReader.Read(file, ParsedArguments.Parse([], []), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Equal((0, true), (settings.InFlightUntilKeyProven, settings.StartWithoutVenue));
    }

    [Fact]
    public void Read_KeysAbsent_EngineDefaults()
    {
        var settings = EngineSettingsReader.Read(RuntimeSettingsFile.Parse("{}", "test.json"), ParsedArguments.Parse([], []), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Equal((4, false, (int?)null), (settings.InFlightUntilKeyProven, settings.StartWithoutVenue, settings.ConsumerCpu));
    }

    [Fact]
    public void Read_ConsumerCpuNull_LeavesTheConsumerUnpinned()
    {
        var file = RuntimeSettingsFile.Parse("""{ "engine": { "consumerCpu": null } }""", "test.json");

        var settings = EngineSettingsReader.Read(file, ParsedArguments.Parse([], []), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Null(settings.ConsumerCpu);
    }

    [Fact]
    public void Read_ConsumerCpuAllowedToThisProcess_ReachesTheEngineSettings()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int cpu = Oms.Engine.Platform.CpuAffinity.GetCurrentThread()[^1];
        var file = RuntimeSettingsFile.Parse($$"""{ "engine": { "consumerCpu": {{cpu}} } }""", "test.json");

        var settings = EngineSettingsReader.Read(file, ParsedArguments.Parse([], []), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Equal(cpu, settings.ConsumerCpu);
    }

    [Fact]
    public void Read_ConsumerCpuNotAllowedToThisProcess_UsageErrorNamingTheKey()
    {
        if (!OperatingSystem.IsLinux() || Oms.Engine.Platform.CpuAffinity.GetCurrentThread().Contains(1023))
        {
            return;
        }

        var file = RuntimeSettingsFile.Parse("""{ "engine": { "consumerCpu": 1023 } }""", "test.json");

        var error = Assert.Throws<UsageException>(() => EngineSettingsReader.Read(file, ParsedArguments.Parse([], []), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null));

        Assert.Contains("ConsumerCpu 1023", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OrderStateCapacityFor_UnpacedRunBeyondTheEngineMaximum_IsCappedAtTheMaximumAndValid()
    {
        var capacity = EngineSettingsReader.OrderStateCapacityFor(s_defaults with { RateLimitPerSecond = 0 }, 20_000_000, offeredRate: 0);

        Assert.Equal(CancelEngineSettings.MaxOrderStateCapacity, capacity);
        (s_defaults with { OrderStateCapacity = capacity }).Validate();
    }

    [Fact]
    public void OrderStateCapacityFor_UnpacedRunWithinTheMaximum_HoldsEveryOrder()
    {
        var capacity = EngineSettingsReader.OrderStateCapacityFor(s_defaults with { RateLimitPerSecond = 0 }, 9_000_000, offeredRate: 0);

        Assert.Equal(9_000_000, capacity);
    }

    [Fact]
    public void OrderStateCapacityFor_PacedRun_FollowsTheEngineSizingRuleNotTheRunSize()
    {
        // 1,200/s admitted plus a 16,384-slot ring expiring per 28 s, held 30 + 35 + 1 s, times 1.5.
        var expected = (int)Math.Ceiling(1.5 * (1200 + 16_384 / 28.0) * 66);

        var capacity = EngineSettingsReader.OrderStateCapacityFor(s_defaults with { RateLimitPerSecond = 1200, OrderStateCapacity = 16 }, 9_000_000, offeredRate: 1000);

        Assert.Equal(expected, capacity);
    }

    [Fact]
    public void OrderStateCapacityFor_SmallRun_KeepsTheConfiguredCapacity()
    {
        var capacity = EngineSettingsReader.OrderStateCapacityFor(s_defaults, 500, offeredRate: 0);

        Assert.Equal(CancelEngineSettings.DefaultOrderStateCapacity, capacity);
    }
}
