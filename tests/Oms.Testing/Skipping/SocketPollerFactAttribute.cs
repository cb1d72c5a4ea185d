using Xunit;

namespace Oms.Testing.Skipping;

/// <summary>
/// A fact that needs the transport's <c>epoll</c> socket poller (Linux x86-64): elsewhere it is reported skipped with
/// the reason, never passed without running.
/// </summary>
public sealed class SocketPollerFactAttribute : FactAttribute
{
    /// <inheritdoc />
    public override string? Skip
    {
        get => base.Skip ?? Requirements.SocketPoller();
        set => base.Skip = value;
    }
}
