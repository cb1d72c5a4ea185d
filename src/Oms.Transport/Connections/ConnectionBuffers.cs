using System.Numerics;

namespace Oms.Transport.Connections;

/// <summary>
/// The memory one connection works in (the stream table, the response assemblies, the HPACK decoder and the scratch
/// buffers), about 1 MiB with the defaults, kept by the client for the next connection in the same place so that a
/// server that drops connections over and over cannot make the engine allocate it over and over.
/// </summary>
/// <remarks>
/// Owned by one connection at a time. The client takes it back only once that connection is closed and its reader
/// thread has ended, and <see cref="Reset"/> empties it before the next connection starts.
/// </remarks>
internal sealed class ConnectionBuffers
{
    public const int HeaderScratchSize = 8 * 1024;

    public ConnectionBuffers(Http2ClientOptions options)
    {
        // Entries are indexed by stream id, so at least twice the stream limit keeps a long-lived stream from blocking
        // new ids; TrySend skips ids whose entry is still busy.
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(256, options.MaxConcurrentStreamsPerConnection * 4));
        Entries = new StreamEntry[size];
        Responses = new ResponseAssembly[size];
        var spares = new ResponseAssembly.SpareBuffers();
        for (var i = 0; i < size; i++)
        {
            Responses[i] = new ResponseAssembly(spares);
        }

        Decoder = new HPackDecoder(options.MaxResponseHeaderListSize);
    }

    public StreamEntry[] Entries { get; }

    public ResponseAssembly[] Responses { get; }

    public HPackDecoder Decoder { get; }

    /// <summary>One DATA payload joined from two pipe segments; a payload never exceeds our SETTINGS_MAX_FRAME_SIZE.</summary>
    public byte[] FrameScratch { get; } = new byte[Http2PeerSettings.DefaultMaxFrameSize];

    public byte[] HeaderScratch { get; } = new byte[HeaderScratchSize];

    public byte[] ConstantBlock { get; } = new byte[HeaderScratchSize];

    /// <summary>Empties everything for a new connection: free entries, no response under way, a fresh HPACK context.</summary>
    public void Reset()
    {
        Array.Clear(Entries);
        foreach (var response in Responses)
        {
            response.Reset();
        }

        Decoder.Reset();
    }
}
