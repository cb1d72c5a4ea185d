using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Oms.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line (BenchmarkDotNet's switcher: --filter, --job, ...).</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <returns>0 when every benchmark that ran succeeded; 1 when one failed (its setup check, its build or its run), so CI can tell.</returns>
    /// <remarks>
    /// <c>hop [count]</c> runs the ring's one-hop latency table instead (<see cref="Sequencing.HopLatency"/>):
    /// percentiles need every hop's own time, which BenchmarkDotNet does not keep.
    /// </remarks>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "hop")
        {
            int hops = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
            Sequencing.HopLatency.Run(hops, Console.Out);
            return 0;
        }

        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }
}
