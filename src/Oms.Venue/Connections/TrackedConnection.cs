using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Oms.Venue.Connections;

/// <summary>One accepted connection: its stream count and the means to reset it.</summary>
internal sealed class TrackedConnection(ConnectionContext connection)
{
    private int _streams;
    private int _reset;

    /// <summary>Numbers this connection's cancel streams 1, 2, 3... in arrival order.</summary>
    public int NextStreamNumber() => Interlocked.Increment(ref _streams);

    /// <summary>Drops the TCP connection with a reset: no GOAWAY, no FIN, as when a middlebox or the process dies.</summary>
    public void Reset()
    {
        if (Interlocked.Exchange(ref _reset, 1) != 0)
        {
            return;
        }

        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is not null)
        {
            try
            {
                // Linger on with a zero timeout turns close into RST instead of an orderly FIN.
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // The socket is already going away; aborting below still ends the connection.
            }
        }

        connection.Abort(new ConnectionAbortedException("The venue simulator reset this connection (fault injection)."));
    }
}
