namespace Oms.Engine.Tests.Sequencing;

/// <summary>The wait-strategy contract for the blocking strategy as shipped: on the futex where Linux has it.</summary>
[Collection(TestThreads.Collection)]
public sealed class BlockingWaitStrategyTests : WaitStrategyContractTests
{
    [Fact]
    public void DefaultStrategy_OnLinuxX64OrArm64_ParksOnTheFutex()
    {
        // Arrange
        bool futexExpected = OperatingSystem.IsLinux()
            && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture
                is System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64;

        // Act
        var strategy = new BlockingWaitStrategy();

        // Assert: the contract tests above then exercise the futex path here.
        Assert.Equal(futexExpected, strategy.ParksOnFutex);
    }

    private protected override IWaitStrategyContract Contract { get; } = new WaitStrategyContract<BlockingWaitStrategy>(() => new());
}

/// <summary>The same contract with the monitor the strategy falls back to where there is no futex.</summary>
[Collection(TestThreads.Collection)]
public sealed class BlockingWaitStrategyOnMonitorTests : WaitStrategyContractTests
{
    private protected override IWaitStrategyContract Contract { get; } = new WaitStrategyContract<BlockingWaitStrategy>(() => new(useFutex: false));
}
