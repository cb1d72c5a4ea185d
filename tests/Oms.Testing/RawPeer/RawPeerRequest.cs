namespace Oms.Testing.RawPeer;

/// <summary>A request the raw peer decoded (only when <see cref="RawPeerOptions.DecodeRequests"/> is on).</summary>
internal sealed class RawPeerRequest(int streamId)
{
    private readonly List<KeyValuePair<string, string>> _headers = [];
    private readonly List<byte> _headerBlock = [];
    private readonly List<byte> _body = [];

    public int StreamId { get; } = streamId;

    /// <summary>The decoded header fields in block order, pseudo-headers included.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>The header block as it came on the wire (HEADERS plus CONTINUATION fragments).</summary>
    public byte[] HeaderBlock => [.. _headerBlock];

    public byte[] Body => [.. _body];

    public bool IsComplete { get; internal set; }

    /// <summary>The value of the first field called <paramref name="name"/>, or null.</summary>
    public string? Header(string name) =>
        _headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.Ordinal)).Value;

    internal void AddHeader(string name, string value) => _headers.Add(new(name, value));

    internal void AddHeaderBlock(ReadOnlySpan<byte> fragment)
    {
        foreach (var b in fragment)
        {
            _headerBlock.Add(b);
        }
    }

    internal void AddBody(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            _body.Add(b);
        }
    }
}
