using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Oms.Venue.Stats;

namespace Oms.Venue.Connections;

/// <summary>Kestrel connection middleware that counts connections and keeps a handle on each for the connection faults.</summary>
/// <remarks>Installed before TLS, so the handle it keeps is the raw transport: aborting it drops the TCP connection.</remarks>
internal sealed class ConnectionTracker(VenueStats stats)
{
    private readonly ConcurrentDictionary<string, TrackedConnection> _connections = new(StringComparer.Ordinal);

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var tracked = new TrackedConnection(connection);
        _connections[connection.ConnectionId] = tracked;
        stats.OnConnectionOpened();
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
            stats.OnConnectionClosed();
        }
    }

    public TrackedConnection? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);
}
