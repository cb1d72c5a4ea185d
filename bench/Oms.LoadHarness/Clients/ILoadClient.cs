using Oms.Engine.Sequencing;
using Oms.LoadHarness.Load;

namespace Oms.LoadHarness.Clients;

/// <summary>A way of cancelling orders that the harness can drive through its runs and compare.</summary>
internal interface ILoadClient : IAsyncDisposable
{
    /// <summary>The client's name in reports: <c>engine</c> or <c>httpclient</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Whether the client has a wait strategy to choose (the engine's consumer): only then does the harness give
    /// it runs in the latency configuration next to the default one.
    /// </summary>
    bool HasWaitStrategy { get; }

    /// <summary>The wait strategy the client runs <paramref name="spec"/> with; null for a client without one.</summary>
    WaitStrategyKind? WaitStrategyFor(PhaseSpec spec);

    /// <summary>Gets ready for the run <paramref name="spec"/> whose outcomes go to <paramref name="recorder"/>; nothing here is measured.</summary>
    Task PrepareAsync(PhaseSpec spec, PhaseRecorder recorder);

    /// <summary>Issues the run's cancels and returns how many it issued; outcomes may still be arriving.</summary>
    Task<int> DriveAsync(PhaseSpec spec, PhaseRecorder recorder);

    /// <summary>Once the outcomes are in: the client's own figures and checks, then it stops what <see cref="PrepareAsync"/> started.</summary>
    Task<ClientFacts> FinishAsync(PhaseSpec spec, int issued, PhaseRecorder recorder);
}
