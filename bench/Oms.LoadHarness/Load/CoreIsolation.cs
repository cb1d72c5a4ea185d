using System.Globalization;
using Oms.Engine.Platform;
using Oms.Load;

namespace Oms.LoadHarness.Load;

/// <summary>
/// The latency configuration's core of its own: the engine's consumer gets the last CPU this process may use, and
/// every thread of this process and of the venue process is moved to the others for the run, then given back its
/// full set. What a user after latency does on a dedicated host (with <c>taskset</c> and
/// <see cref="Oms.Engine.CancelEngineSettings.ConsumerCpu"/>).
/// </summary>
/// <remarks>
/// Threads created during the run stay off the consumer's CPU too: the runtime starts every new thread with its
/// process's set, which is the main thread's, and the main threads are moved with the rest.
/// </remarks>
internal sealed class CoreIsolation : IDisposable
{
    private readonly int[] _allowed;
    private readonly int[] _others;
    private readonly int _venueProcessId;

    private CoreIsolation(int[] allowed, int venueProcessId)
    {
        _allowed = allowed;
        _others = allowed[..^1];
        ConsumerCpu = allowed[^1];
        _venueProcessId = venueProcessId;
    }

    /// <summary>The CPU the consumer is to be pinned to.</summary>
    public int ConsumerCpu { get; }

    /// <summary>How the run's threads were placed, for the report.</summary>
    public string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"consumer pinned to CPU {ConsumerCpu}, every other thread of the harness and of the venue on CPU {string.Join(",", _others)}");

    /// <summary>Moves the threads; null where it cannot be done (not Linux, or a single CPU).</summary>
    public static CoreIsolation? TryStart(int venueProcessId)
    {
        if (!CpuAffinity.IsSupported)
        {
            return null;
        }

        int[] allowed = CpuAffinity.GetCurrentThread();
        if (allowed.Length < 2)
        {
            return null;
        }

        var isolation = new CoreIsolation(allowed, venueProcessId);
        isolation.MoveAll(isolation._others);
        return isolation;
    }

    /// <summary>Gives every thread of both processes its full set back.</summary>
    public void Dispose() => MoveAll(_allowed);

    private void MoveAll(int[] cpus)
    {
        MoveProcess(Environment.ProcessId, cpus);
        MoveProcess(_venueProcessId, cpus);
    }

    private static void MoveProcess(int processId, int[] cpus)
    {
        foreach ((int threadId, _) in ProcTasks.List(ProcTasks.Of(processId)))
        {
            try
            {
                CpuAffinity.SetThread(threadId, cpus);
            }
            catch (InvalidOperationException)
            {
                // The thread ended since the listing: nothing to move.
            }
        }
    }
}
