using System.Text;
using Oms.Transport.HPack;
using Oms.Transport.Http2;

namespace Oms.Testing.RawPeer;

/// <summary>
/// The requests of one raw peer connection as the client sends them: which stream's header block is open, whether it
/// ends the stream, and with <see cref="RawPeerOptions.DecodeRequests"/> the decoded fields and bodies.
/// </summary>
/// <remarks>
/// Written by the connection's reading thread only; <see cref="Snapshot"/> and <see cref="Find"/> take the lock.
/// Decoding uses the transport's <see cref="HPackDecoder"/>: the client's encoder uses Huffman codes and the dynamic
/// table, and the decoder has its own tests on the RFC's examples; the frames around it are the peer's own.
/// </remarks>
internal sealed class ClientRequests
{
    private const int HeaderListLimit = 256 * 1024;

    private readonly Lock _lock = new();
    private readonly List<RawPeerRequest> _requests = [];
    private readonly Queue<int> _unackedTableSizes = new();
    private readonly HPackDecoder? _decoder;
    private int _headerBlockStream;
    private bool _headerBlockEndsStream;
    private RawPeerRequest? _headerBlockRequest;

    public ClientRequests(bool decode)
    {
        if (decode)
        {
            _decoder = new HPackDecoder(HeaderListLimit);
        }
    }

    /// <summary>The decoded requests so far, in arrival order.</summary>
    public IReadOnlyList<RawPeerRequest> Snapshot()
    {
        lock (_lock)
        {
            return [.. _requests];
        }
    }

    /// <summary>The latest decoded request on <paramref name="streamId"/>; null when none or when not decoding.</summary>
    public RawPeerRequest? Find(int streamId)
    {
        if (_decoder is null)
        {
            return null;
        }

        lock (_lock)
        {
            for (var i = _requests.Count - 1; i >= 0; i--)
            {
                if (_requests[i].StreamId == streamId)
                {
                    return _requests[i];
                }
            }
        }

        return null;
    }

    /// <summary>A HEADERS frame opens a header block; true when the block is whole and ends the stream.</summary>
    public bool OnHeaders(int streamId, bool endStream, ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        _headerBlockStream = streamId;
        _headerBlockEndsStream = endStream;
        if (_decoder is not null)
        {
            var request = new RawPeerRequest(streamId);
            lock (_lock)
            {
                _requests.Add(request);
            }

            _headerBlockRequest = request;
        }

        return OnFragment(streamId, fragment, endHeaders);
    }

    /// <summary>A CONTINUATION frame carries on the open header block; true when the block is whole and ends the stream.</summary>
    public bool OnFragment(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        if (streamId != _headerBlockStream)
        {
            throw new InvalidOperationException($"CONTINUATION on stream {streamId} inside the header block of stream {_headerBlockStream}.");
        }

        if (_decoder is not null && _headerBlockRequest is { } request)
        {
            request.AddHeaderBlock(fragment);
            _decoder.Decode(fragment, endHeaders, new HeaderCollector(request));
        }

        return endHeaders && _headerBlockEndsStream;
    }

    /// <summary>Keeps a DATA frame's data with its request when decoding.</summary>
    public void OnData(int streamId, ReadOnlySpan<byte> data) => Find(streamId)?.AddBody(data);

    /// <summary>The stream's request, if kept, is complete.</summary>
    public void OnComplete(int streamId)
    {
        if (Find(streamId) is { } request)
        {
            request.IsComplete = true;
        }
    }

    /// <summary>The peer sent SETTINGS: remembers the header table size it announced until the client acknowledges it.</summary>
    public void OnSettingsSent(IEnumerable<Http2Setting> settings)
    {
        var size = -1;
        foreach (var setting in settings)
        {
            if (setting.Parameter == Http2SettingsParameter.HeaderTableSize)
            {
                size = (int)setting.Value;
            }
        }

        lock (_lock)
        {
            _unackedTableSizes.Enqueue(size);
        }
    }

    /// <summary>The client acknowledged the oldest SETTINGS the peer sent.</summary>
    public void OnSettingsAcknowledged()
    {
        int size;
        lock (_lock)
        {
            if (!_unackedTableSizes.TryDequeue(out size))
            {
                return;
            }
        }

        // RFC 7541 section 4.2: the new limit binds the client's encoder from the acknowledgement on.
        if (size >= 0 && _decoder is not null)
        {
            _decoder.MaxDynamicTableSizeLimit = size;
        }
    }

    /// <summary>Copies decoded fields into the request record.</summary>
    private sealed class HeaderCollector(RawPeerRequest request) : IHPackHeaderHandler
    {
        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            request.AddHeader(Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(value));
    }
}
