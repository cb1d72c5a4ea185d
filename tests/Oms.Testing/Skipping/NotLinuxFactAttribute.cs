using Xunit;

namespace Oms.Testing.Skipping;

/// <summary>A fact about what a Linux-only feature does on any other system: on Linux it is reported skipped with the reason.</summary>
public sealed class NotLinuxFactAttribute : FactAttribute
{
    /// <inheritdoc />
    public override string? Skip
    {
        get => base.Skip ?? (OperatingSystem.IsLinux() ? "Tests the behaviour off Linux; this runner is Linux." : null);
        set => base.Skip = value;
    }
}
