using System.Net;
using System.Net.Sockets;

namespace Oms.Testing.Polling;

/// <summary>
/// Two connected TCP sockets on loopback: <see cref="Local"/> is the one a test registers with a socket poller,
/// <see cref="Peer"/> the one that writes to it, shuts it down or resets it.
/// </summary>
internal sealed class LoopbackSocketPair : IDisposable
{
    private LoopbackSocketPair(Socket local, Socket peer)
    {
        Local = local;
        Peer = peer;
    }

    public Socket Local { get; }

    public Socket Peer { get; }

    /// <summary>The descriptor of <see cref="Local"/>, as the poller takes it.</summary>
    public nint LocalDescriptor => Local.SafeHandle.DangerousGetHandle();

    public static LoopbackSocketPair Connect()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var local = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            local.Connect(listener.LocalEndPoint!);
            return new LoopbackSocketPair(local, listener.Accept());
        }
        catch
        {
            local.Dispose();
            throw;
        }
    }

    /// <summary>Sends from the peer and waits until the bytes (or the peer's end) are readable on <see cref="Local"/>.</summary>
    /// <remarks>Only while nothing else reads <see cref="Local"/>: a poller's owner could take the bytes before the check sees them.</remarks>
    /// <exception cref="TimeoutException">They did not arrive within 10 s.</exception>
    public void PeerSends(ReadOnlySpan<byte> bytes)
    {
        Peer.Send(bytes);
        WaitUntilLocalIsReadable();
    }

    /// <summary>Waits until <see cref="Local"/> has something to read: bytes, the peer's end, or an error.</summary>
    /// <exception cref="TimeoutException">Nothing within 10 s.</exception>
    public void WaitUntilLocalIsReadable()
    {
        if (!Local.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectRead))
        {
            throw new TimeoutException("nothing became readable on the local socket within 10 s");
        }
    }

    public void Dispose()
    {
        Local.Dispose();
        Peer.Dispose();
    }
}
