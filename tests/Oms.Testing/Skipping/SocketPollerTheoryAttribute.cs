using Xunit;

namespace Oms.Testing.Skipping;

/// <summary>A theory that needs the transport's <c>epoll</c> socket poller; skipped with the reason elsewhere.</summary>
public sealed class SocketPollerTheoryAttribute : TheoryAttribute
{
    /// <inheritdoc />
    public override string? Skip
    {
        get => base.Skip ?? Requirements.SocketPoller();
        set => base.Skip = value;
    }
}
