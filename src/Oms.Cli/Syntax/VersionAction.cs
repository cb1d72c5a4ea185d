using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Oms.Cli.Syntax;

/// <summary>
/// <c>oms --version</c>: this assembly's informational version. The parser's own action prints the entry assembly's,
/// which under a test host or another launcher is not oms.
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    /// <summary>The version <c>oms --version</c> prints (the build's informational version, with its commit when known).</summary>
    public static string Version { get; } =
        typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionAction).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Version);
        return 0;
    }
}
