using Oms.LoadHarness.Load;

namespace Oms.LoadHarness.Clients;

/// <summary>A way of cancelling orders that the harness can drive through its runs and compare.</summary>
internal interface ILoadClient : IAsyncDisposable
{
    /// <summary>The client's name in reports: <c>engine</c> or <c>httpclient</c>.</summary>
    string Name { get; }

    /// <summary>Gets ready for a run whose outcomes go to <paramref name="recorder"/>; nothing here is measured.</summary>
    Task PrepareAsync(PhaseRecorder recorder);

    /// <summary>Issues the run's cancels and returns how many it issued; outcomes may still be arriving.</summary>
    Task<int> DriveAsync(PhaseSpec spec, PhaseRecorder recorder);

    /// <summary>Once the outcomes are in: the client's own figures and checks, then it stops what <see cref="PrepareAsync"/> started.</summary>
    Task<ClientFacts> FinishAsync(PhaseSpec spec, int issued, PhaseRecorder recorder);
}
