namespace Oms.Testing.RawPeer;

/// <summary>What the raw peer does on a connection right after it has sent its SETTINGS.</summary>
internal enum RawPeerOpening
{
    /// <summary>Serves the connection.</summary>
    Serve,

    /// <summary>Sends GOAWAY (NO_ERROR, last-stream-id 0) at once, in the same write as its SETTINGS.</summary>
    GoAway,

    /// <summary>Closes the socket at once.</summary>
    Close,
}
