using System.Diagnostics;

namespace Oms.Cli.Settings;

/// <summary>
/// The <c>runtime</c> section: knobs the .NET runtime reads only at process start (GC mode, tiered PGO, socket
/// completions), chosen by benchmark. When the running process does not match them, <c>oms</c> runs itself once more
/// with the matching <c>DOTNET_</c> variables and passes the exit code through.
/// </summary>
internal static class RuntimeKnobs
{
    public const string Section = "runtime";

    /// <summary>Set in the relaunched process, so it never relaunches again.</summary>
    public const string AppliedMarker = "OMS_RUNTIME_APPLIED";

    /// <summary>The keys of the <c>runtime</c> section, all booleans.</summary>
    public static readonly IReadOnlyDictionary<string, SettingSpec> SettingsKeys = new Dictionary<string, SettingSpec>(StringComparer.Ordinal)
    {
        ["gcServer"] = SettingSpec.Boolean(),
        ["gcConcurrent"] = SettingSpec.Boolean(),
        ["tieredPgo"] = SettingSpec.Boolean(),
        ["socketsInlineCompletions"] = SettingSpec.Boolean(),
    };

    /// <summary>The environment variables the settings ask for.</summary>
    public static IReadOnlyDictionary<string, string> Desired(RuntimeSettingsFile file) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_gcServer"] = Flag(file.GetBool(Section, "gcServer", false)),
        ["DOTNET_gcConcurrent"] = Flag(file.GetBool(Section, "gcConcurrent", false)),
        ["DOTNET_TieredPGO"] = Flag(file.GetBool(Section, "tieredPgo", true)),
        ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = Flag(file.GetBool(Section, "socketsInlineCompletions", false)),
    };

    /// <summary>The variables whose effect this process does not have, among those the settings ask for.</summary>
    public static IReadOnlyDictionary<string, string> Missing(IReadOnlyDictionary<string, string> desired, IReadOnlyDictionary<string, string> current) =>
        desired.Where(pair => current.GetValueOrDefault(pair.Key) != pair.Value).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    /// <summary>What this process runs with, read from the runtime itself where it tells, else from its configuration.</summary>
    public static IReadOnlyDictionary<string, string> Current(Func<string, string?> environment) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_gcServer"] = Flag(System.Runtime.GCSettings.IsServerGC),

        // Without concurrent GC the default latency mode is Batch.
        ["DOTNET_gcConcurrent"] = Flag(System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.Batch),
        ["DOTNET_TieredPGO"] = environment("DOTNET_TieredPGO") ?? Flag(AppContext.GetData("System.Runtime.TieredPGO") is not (false or "false")),
        ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = environment("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1" ? "1" : "0",
    };

    /// <summary>Runs this program again with <paramref name="variables"/> set; returns its exit code.</summary>
    public static int Relaunch(IReadOnlyDictionary<string, string> variables, string[] args)
    {
        var start = new ProcessStartInfo { UseShellExecute = false };
        var host = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            // Started as 'dotnet oms.dll ...': keep doing so.
            start.FileName = host;
            start.ArgumentList.Add(typeof(RuntimeKnobs).Assembly.Location);
        }
        else
        {
            start.FileName = host;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        start.Environment[AppliedMarker] = "1";
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not relaunch oms");

        // Ctrl+C reaches the child through the terminal's process group; this process just waits for it.
        child.WaitForExit();
        return child.ExitCode;
    }

    private static string Flag(bool value) => value ? "1" : "0";
}
