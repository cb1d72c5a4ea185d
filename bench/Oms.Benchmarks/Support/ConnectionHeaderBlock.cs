using System.Runtime.CompilerServices;
using Oms.Transport.Client;
using Oms.Transport.Connections;
using Oms.Transport.Diagnostics;
using Oms.Transport.FlowControl;

namespace Oms.Benchmarks.Support;

/// <summary>
/// A cancel's header block encoded by the connection's own code: a real <see cref="RequestWriter"/> (over a stream
/// that is never written, since only the encoding is called), whose private header block step the bench reaches
/// through <see cref="UnsafeAccessorAttribute"/>, so the figures are those of the code that runs, not of a copy.
/// </summary>
/// <remarks>
/// The first block inserts the constants into the writer's HPACK table (<see cref="FirstBlock"/>, which primes a
/// checking decoder); every later one replays them from cached bytes and adds the two literals.
/// <see cref="CancelStepVerifier"/> decodes the result to prove it is the request the venue accepts. Should the
/// private step be renamed, the setup fails with <see cref="MissingMethodException"/> rather than measure something
/// else. One owner thread, like the connection's send side.
/// </remarks>
internal sealed class ConnectionHeaderBlock : IDisposable
{
    private readonly TransportCounters _counters = new();
    private readonly ConnectionBuffers _buffers;
    private readonly RequestWriter _writer;
    private readonly Http2RequestTemplate _template;

    /// <summary>Builds a connection's send side for <paramref name="authority"/> (h2c) and encodes its first block.</summary>
    /// <param name="template">The request shape.</param>
    /// <param name="authority">The <c>:authority</c> value.</param>
    /// <param name="timestamp">The first block's <c>x-auth-timestamp</c>.</param>
    /// <param name="signature">The first block's <c>x-auth-signature</c>.</param>
    public ConnectionHeaderBlock(Http2RequestTemplate template, string authority, ReadOnlySpan<byte> timestamp, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(template);
        var options = new Http2ClientOptions { BaseUri = new Uri("http://" + authority) };
        var control = new ControlFrameQueue();
        _buffers = new ConnectionBuffers(options);
        var streams = new StreamTable(_buffers, new NoResponses(), _counters, new ConnectionReceiveCredit(options.ConnectionReceiveWindow, options.ConnectionReceiveWindow / 2), control);
        _writer = new RequestWriter(options, _counters, new ConnectionState(), streams, new PeerSendLimits(streams), control, _buffers, Stream.Null, static () => { }, authority, usesTls: false);
        _template = template;
        FirstBlock = Block(Write(timestamp, signature)).ToArray();
    }

    /// <summary>The first request's block: the constants as they enter the peer decoder's table, then the literals.</summary>
    public byte[] FirstBlock { get; }

    /// <summary>Writes one request's header block into the connection's scratch, as <c>TrySend</c> does.</summary>
    /// <param name="timestamp">The <c>x-auth-timestamp</c> value (13 ASCII digits).</param>
    /// <param name="signature">The <c>x-auth-signature</c> value (44 ASCII bytes).</param>
    /// <returns>The block's length; the block is <see cref="Block"/> of it.</returns>
    public int Write(ReadOnlySpan<byte> timestamp, ReadOnlySpan<byte> signature) =>
        EncodeHeaderBlockUnderLock(_writer, _template, [], timestamp, signature);

    /// <summary>The block the last <see cref="Write"/> produced, valid until the next.</summary>
    /// <param name="length">What <see cref="Write"/> returned.</param>
    public ReadOnlySpan<byte> Block(int length) => _buffers.HeaderScratch.AsSpan(0, length);

    /// <summary>Releases the counters' meter.</summary>
    public void Dispose() => _counters.Dispose();

    // The sending thread holds the write lock around this step in TrySend; the bench is the only thread here.
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "EncodeHeaderBlockUnderLock")]
    private static extern int EncodeHeaderBlockUnderLock(RequestWriter writer, Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, ReadOnlySpan<byte> variable0, ReadOnlySpan<byte> variable1);

    // No request is ever sent, so no answer comes.
    private sealed class NoResponses : IHttp2ResponseHandler
    {
        public void OnResponse(long token, in Http2ResponseHead head, ReadOnlySpan<byte> body)
        {
        }

        public void OnFailure(long token, Http2StreamFailure failure)
        {
        }
    }
}
