using Xunit;

namespace Oms.Testing.Skipping;

/// <summary>
/// A fact that runs command-line tools (bash, curl with HTTP/2, openssl): where one is missing it is reported skipped
/// with the reason, never passed without running.
/// </summary>
public sealed class ToolsFactAttribute : FactAttribute
{
    /// <inheritdoc />
    public override string? Skip
    {
        get => base.Skip ?? Requirements.ShellTools();
        set => base.Skip = value;
    }
}
