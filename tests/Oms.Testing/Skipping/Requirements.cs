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

    /// <summary>Null where the transport's socket poller works (Linux x86-64, epoll and eventfd); else why not.</summary>
    public static string? SocketPoller() =>
        Oms.Transport.Connections.SocketPoller.IsSupported
            ? null
            : $"Needs epoll on Linux x86-64; this runner is {System.Runtime.InteropServices.RuntimeInformation.OSDescription} on {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}.";

    /// <summary>Null when bash, openssl and a curl with HTTP/2 are on the PATH; else which is missing.</summary>
    public static string? ShellTools()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return "Needs a Unix shell; this runner is " + Environment.OSVersion.Platform + ".";
        }

        foreach (var tool in new[] { "bash", "openssl", "curl" })
        {
            if (!OnPath(tool))
            {
                return $"Needs {tool} on the PATH.";
            }
        }

        return CurlSpeaksHttp2() ? null : "Needs a curl built with HTTP/2 (its --version lists no HTTP2 feature).";
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));

    private static bool CurlSpeaksHttp2()
    {
        using var curl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("curl", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
        if (curl is null)
        {
            return false;
        }

        var text = curl.StandardOutput.ReadToEnd();
        if (!curl.WaitForExit(10_000))
        {
            curl.Kill();
            return false;
        }

        return text.Contains("HTTP2", StringComparison.Ordinal);
    }
}
