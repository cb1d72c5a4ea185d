namespace Oms.Testing.Skipping;

/// <summary>The machine conditions a skippable fact checks, each as the reason to skip or null when it holds.</summary>
internal static class Requirements
{
    /// <summary>Null on Linux with at least <paramref name="cpus"/> CPUs available to the process; else why not.</summary>
    /// <remarks><see cref="Environment.ProcessorCount"/> honours the process's affinity set and CPU quota.</remarks>
    public static string? LinuxWithCpus(int cpus)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "Needs Linux; this runner is " + Environment.OSVersion.Platform + ".";
        }

        return Environment.ProcessorCount < cpus
            ? $"Needs at least {cpus} CPUs; this runner allows {Environment.ProcessorCount}."
            : null;
    }
}
