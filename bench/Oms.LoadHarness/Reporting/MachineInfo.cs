using System.Globalization;
using System.Runtime.InteropServices;

namespace Oms.LoadHarness.Reporting;

/// <summary>What the figures were measured on: they mean little without it.</summary>
internal static class MachineInfo
{
    public static IReadOnlyList<string> Describe()
    {
        var lines = new List<string>
        {
            $"date: {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}",
            $"cores: {Environment.ProcessorCount} logical{CpuModel()}",
            $"OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
            $".NET: {RuntimeInformation.FrameworkDescription}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, tiered PGO default",
        };
        if (LoadAverage() is { } load)
        {
            lines.Add($"load average at start (1/5/15 min): {load}  (a shared machine: other processes compete for the cores)");
        }

        return lines;
    }

    private static string CpuModel()
    {
        try
        {
            string? model = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                : null;
            return model is null ? "" : ", " + model[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
