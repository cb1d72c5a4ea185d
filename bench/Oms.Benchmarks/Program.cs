using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Oms.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line (BenchmarkDotNet's switcher: --filter, --job, ...).</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <returns>0 when every benchmark that ran succeeded; 1 when one failed (its setup check, its build or its run), so CI can tell.</returns>
    public static int Main(string[] args)
    {
        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }
}
