using System.Text;
using Oms.Transport.Http2;

namespace Oms.Testing.RawPeer;

/// <summary>How a <see cref="RawHttp2Peer"/> behaves on every connection it accepts.</summary>
internal sealed class RawPeerOptions
{
    /// <summary>The parameters of the server's first SETTINGS frame.</summary>
    public IReadOnlyList<Http2Setting> Settings { get; init; } = [];

    /// <summary>False to open with a PING instead of SETTINGS, which breaks the server preface.</summary>
    public bool SendSettingsFirst { get; init; } = true;

    /// <summary>Connection-level WINDOW_UPDATE sent right after the preface; 0 sends none.</summary>
    public int ConnectionWindowIncrement { get; init; } = (1 << 30) - 65_535;

    /// <summary>The DATA of every answer.</summary>
    public byte[] ResponseBody { get; init; } = Encoding.ASCII.GetBytes("{\"ok\":true}");

    /// <summary>Decides per request what to do; null answers every request.</summary>
    public Func<RawPeerCall, RawPeerReply>? Reply { get; init; }

    /// <summary>What the server does right after its SETTINGS on every connection.</summary>
    public RawPeerOpening Opening { get; init; } = RawPeerOpening.Serve;

    /// <summary>False to leave the client's PINGs unanswered (a server that stopped reading).</summary>
    public bool AnswerPings { get; init; } = true;

    /// <summary>How many connections to close at once on accept, before any HTTP/2 is spoken (a server refusing clients).</summary>
    public int CloseFirstConnections { get; init; }

    /// <summary>Decode every request's header block and keep requests (allocates; off for the allocation test).</summary>
    public bool DecodeRequests { get; init; }

    /// <summary>Keep HEADERS, CONTINUATION and DATA frames in <see cref="RawPeerConnection.Frames"/> too (allocates; off for the allocation test).</summary>
    public bool RecordStreamFrames { get; init; }
}
