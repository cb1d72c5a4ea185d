using Oms.Engine;

namespace Oms.Cli.Tests.Settings;

public sealed class EngineSettingsReaderTests
{
    private static readonly CancelEngineSettings s_defaults = new() { BaseUrl = new Uri("https://ascendex.com"), AccountGroup = "5" };

    [Fact]
    public void Read_KeyProofLimitAndStartWithoutVenue_ReachTheEngineSettings()
    {
        var file = RuntimeSettingsFile.Parse("""{ "engine": { "inFlightUntilKeyProven": 0, "startWithoutVenue": true } }""", "test.json");

        var settings = EngineSettingsReader.Read(file, Options(), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Equal((0, true), (settings.InFlightUntilKeyProven, settings.StartWithoutVenue));
    }

    [Fact]
    public void Read_KeysAbsent_EngineDefaults()
    {
        var settings = EngineSettingsReader.Read(RuntimeSettingsFile.Parse("{}", "test.json"), Options(), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Equal((4, false, (int?)null), (settings.InFlightUntilKeyProven, settings.StartWithoutVenue, settings.ConsumerCpu));
    }

    [Fact]
    public void Read_ConfirmationSection_ReachesTheEngineSettings()
    {
        var file = RuntimeSettingsFile.Parse(
            """{ "engine": { "confirmation": { "useStream": false, "streamWaitMs": 0, "deadlineMs": 1500, "recheckMs": 40, "maxIdsPerStatusRequest": 7, "capacity": 300 } } }""",
            "test.json");

        var confirmation = EngineSettingsReader.Read(file, Options(), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null).Confirmation;

        Assert.Equal(
            new ConfirmationSettings
            {
                UseStream = false,
                StreamWait = TimeSpan.Zero,
                Deadline = TimeSpan.FromMilliseconds(1500),
                RecheckInterval = TimeSpan.FromMilliseconds(40),
                MaxIdsPerStatusRequest = 7,
                Capacity = 300,
            },
            confirmation);
    }

    [Fact]
    public void Read_ConfirmationAbsent_TheEngineDefaultsWithConfirmationOn()
    {
        var settings = EngineSettingsReader.Read(RuntimeSettingsFile.Parse("{}", "test.json"), Options(), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Equal(new ConfirmationSettings(), settings.Confirmation);
        Assert.True(settings.Confirmation.Enabled);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "engine": { "confirmation": { "enabled": true } } }""")]
    public void Read_NoConfirmFlag_TurnsConfirmationOffWhateverTheFileSays(string text)
    {
        var args = Options("--no-confirm");

        var settings = EngineSettingsReader.Read(RuntimeSettingsFile.Parse(text, "test.json"), args, new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.False(settings.Confirmation.Enabled);
    }

    [Fact]
    public void Read_ConfirmationDisabledInTheFile_IsOff()
    {
        var file = RuntimeSettingsFile.Parse("""{ "engine": { "confirmation": { "enabled": false } } }""", "test.json");

        var settings = EngineSettingsReader.Read(file, Options(), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.False(settings.Confirmation.Enabled);
    }

    [Fact]
    public void Read_TransportLimits_ReachTheEngineSettings()
    {
        var file = RuntimeSettingsFile.Parse(
            """
            { "engine": { "maxResponseBodyBytes": 32768, "connectionReceiveWindowBytes": 262144, "reconnectMinDelayMs": 50,
              "reconnectMaxDelayMs": 2000, "reconnectBackoffResetMs": 1000, "maxConsecutiveTimeouts": 5, "pingIntervalMs": 0,
              "pingTimeoutMs": 700, "maxHeaderBlockFrames": 8, "headerBlockTimeoutMs": 300 } }
            """,
            "test.json");

        var settings = EngineSettingsReader.Read(file, Options(), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Equal((32768, 262144, 5, 8), (settings.MaxResponseBodySize, settings.ConnectionReceiveWindow, settings.MaxConsecutiveTimeouts, settings.MaxHeaderBlockFrames));
        Assert.Equal(
            (TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMilliseconds(700), TimeSpan.FromMilliseconds(300)),
            (settings.ReconnectMinDelay, settings.ReconnectMaxDelay, settings.ReconnectBackoffResetAfter, settings.PingInterval, settings.PingTimeout, settings.HeaderBlockTimeout));
    }

    [Fact]
    public void Read_TransportLimitsAbsent_TheEngineDefaults()
    {
        var settings = EngineSettingsReader.Read(RuntimeSettingsFile.Parse("{}", "test.json"), Options(), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Equal(
            (s_defaults.MaxResponseBodySize, s_defaults.ConnectionReceiveWindow, s_defaults.ReconnectMinDelay, s_defaults.ReconnectMaxDelay, s_defaults.ReconnectBackoffResetAfter),
            (settings.MaxResponseBodySize, settings.ConnectionReceiveWindow, settings.ReconnectMinDelay, settings.ReconnectMaxDelay, settings.ReconnectBackoffResetAfter));
        Assert.Equal(
            (s_defaults.MaxConsecutiveTimeouts, s_defaults.PingInterval, s_defaults.PingTimeout, s_defaults.MaxHeaderBlockFrames, s_defaults.HeaderBlockTimeout),
            (settings.MaxConsecutiveTimeouts, settings.PingInterval, settings.PingTimeout, settings.MaxHeaderBlockFrames, settings.HeaderBlockTimeout));
    }

    [Theory]
    [InlineData("{}", null, BatchCancelMode.Auto)]
    [InlineData("""{ "engine": { "batchCancel": "off" } }""", null, BatchCancelMode.Off)]
    [InlineData("""{ "engine": { "batchCancel": "off" } }""", "auto", BatchCancelMode.Auto)]
    [InlineData("{}", "off", BatchCancelMode.Off)]
    public void Read_BatchCancel_FromTheFileUnlessTheFlagSaysOtherwise(string text, string? flag, BatchCancelMode expected)
    {
        var args = flag is null ? Options() : Options("--batch", flag);

        var settings = EngineSettingsReader.Read(RuntimeSettingsFile.Parse(text, "test.json"), args, new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Equal(expected, settings.BatchCancel);
    }

    [Fact]
    public void Read_BatchCancelNeitherAutoNorOff_UsageErrorNamingTheFlag()
    {
        var args = Options("--batch", "sometimes");

        var error = Assert.Throws<UsageException>(() => EngineSettingsReader.Read(RuntimeSettingsFile.Parse("{}", "test.json"), args, new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null));

        Assert.Contains("--batch must be auto or off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BatchCancelKeyNeitherAutoNorOff_RefusedAtLoad()
    {
        var error = Assert.ThrowsAny<Exception>(() => RuntimeSettingsFile.Parse("""{ "engine": { "batchCancel": "yes" } }""", "test.json"));

        Assert.Contains("engine.batchCancel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ConnectionWindowSmallerThanTheBodyLimit_UsageErrorNamingBoth()
    {
        // A body's credit comes back only when it ends, so the longest body must fit the window.
        var file = RuntimeSettingsFile.Parse("""{ "engine": { "maxResponseBodyBytes": 131072, "connectionReceiveWindowBytes": 65535 } }""", "test.json");

        var error = Assert.Throws<UsageException>(() => EngineSettingsReader.Read(file, Options(), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null));

        Assert.Contains("ConnectionReceiveWindow (65535) must be at least MaxResponseBodySize (131072)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ConsumerCpuNull_LeavesTheConsumerUnpinned()
    {
        var file = RuntimeSettingsFile.Parse("""{ "engine": { "consumerCpu": null } }""", "test.json");

        var settings = EngineSettingsReader.Read(file, Options(), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Null(settings.ConsumerCpu);
    }

    [LinuxFact]
    public void Read_ConsumerCpuAllowedToThisProcess_ReachesTheEngineSettings()
    {
        int cpu = Oms.Engine.Platform.CpuAffinity.GetCurrentThread()[^1];
        var file = RuntimeSettingsFile.Parse($$"""{ "engine": { "consumerCpu": {{cpu}} } }""", "test.json");

        var settings = EngineSettingsReader.Read(file, Options(), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null);

        Assert.Equal(cpu, settings.ConsumerCpu);
    }

    [LinuxFact]
    public void Read_ConsumerCpuNotAllowedToThisProcess_UsageErrorNamingTheKey()
    {
        Assert.False(Oms.Engine.Platform.CpuAffinity.GetCurrentThread().Contains(1023), "This machine allows CPU 1023; the test cannot run here.");
        var file = RuntimeSettingsFile.Parse("""{ "engine": { "consumerCpu": 1023 } }""", "test.json");

        var error = Assert.Throws<UsageException>(() => EngineSettingsReader.Read(file, Options(), new Uri("https://ascendex.com"), "5", rate: null, caCertificate: null));

        Assert.Contains("ConsumerCpu 1023", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OrderStateCapacityFor_UnpacedHundredMillionOrders_SizesTheTableForTheUnpacedCapNotTheRun()
    {
        var capacity = EngineSettingsReader.OrderStateCapacityFor(s_defaults with { RateLimitPerSecond = 0 }, 100_000_000, offeredRate: 0);

        // The table allocates two 64-byte slots per entry (rounded up to a power of two) at start: 128 MiB here, where
        // sizing by the run took the engine's maximum, 2 GiB.
        Assert.Equal(EngineSettingsReader.UnpacedOrderStateCapacity, capacity);
        Assert.InRange(2L * (long)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity) * 64, 0, 128L << 20);
        (s_defaults with { OrderStateCapacity = capacity }).Validate();
    }

    [Fact]
    public void OrderStateCapacityFor_UnpacedRunWithinTheCap_HoldsEveryOrder()
    {
        var capacity = EngineSettingsReader.OrderStateCapacityFor(s_defaults with { RateLimitPerSecond = 0 }, 900_000, offeredRate: 0);

        Assert.Equal(900_000, capacity);
    }

    [Fact]
    public void OrderStateCapacityFor_UnpacedRunWithALargerConfiguredCapacity_KeepsTheConfiguredOne()
    {
        var capacity = EngineSettingsReader.OrderStateCapacityFor(s_defaults with { RateLimitPerSecond = 0, OrderStateCapacity = 4_000_000 }, 100_000_000, offeredRate: 0);

        Assert.Equal(4_000_000, capacity);
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

    // The engine options as oms load, which has them all, parses them.
    private static OptionValues Options(params string[] args) => OptionValues.Parse(["load", .. args]);
}
