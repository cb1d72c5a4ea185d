using System.Buffers;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Oms.Benchmarks.Support;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;
using Oms.Engine.Signing;
using Oms.Transport.Client;
using Oms.Transport.HPack;
using Oms.Transport.Http2;

namespace Oms.Benchmarks.Consumer;

/// <summary>
/// The consumer's work for one cancel, from the pieces the consumer uses, in its order: request id, clock,
/// timestamp and signature (from the per-millisecond cache), JSON body, header block (the connection's own encoding:
/// cached constants plus two literals), and HEADERS plus DATA frames into a writer that discards.
/// </summary>
/// <remarks>
/// Not included, because they are not this step's work: the order-state CAS, the in-flight table, the send lock
/// and the counters (the load harness measures the whole engine). The clock is real, so a new millisecond
/// costs one HMAC now and then, as it does in the engine; the engine also prepares the next millisecond ahead
/// at the end of a batch, which this loop does not, so the figure is slightly pessimistic.
/// </remarks>
[MemoryDiagnoser]
public class ConsumerStepBenchmarks
{
    private readonly byte[] _requestId = new byte[RequestIdGenerator.Length];
    private readonly byte[] _timestamp = new byte[CancelSigner.TimestampLength];
    private readonly DiscardingBufferWriter _output = new();
    private CancelSigner _signer = null!;
    private CancelRequestWriter _writer = null!;
    private RequestIdGenerator _ids = null!;
    private ConnectionHeaderBlock _headerBlock = null!;
    private Http2RequestTemplate _template = null!;
    private int _streamId = 1;

    /// <summary>Builds the consumer's pieces and checks one step's frames field by field.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _signer = new CancelSigner(Fixtures.CreateCredentials(), CancelProfile.V1.PrehashPath);
        _writer = new CancelRequestWriter(CancelProfile.V1);
        _ids = new RequestIdGenerator();
        _template = Fixtures.CreateCancelTemplate();
        _headerBlock = new ConnectionHeaderBlock(_template, Fixtures.Authority, Encoding.ASCII.GetBytes(Fixtures.TimestampMs.ToString(CultureInfo.InvariantCulture)), Encoding.ASCII.GetBytes(Fixtures.Signature));

        var decoder = new HPackDecoder(64 * 1024);
        decoder.Decode(_headerBlock.FirstBlock, endHeaders: true, new HeaderListRecorder());
        var captured = new ArrayBufferWriter<byte>();
        int written = Step(captured);
        BenchmarkCheck.Equal(captured.WrittenCount, written, "octets reported");

        string timestamp = Encoding.ASCII.GetString(_timestamp);
        long timeMs = long.Parse(timestamp, CultureInfo.InvariantCulture);
        var signature = new byte[CancelSigner.SignatureLength];
        _signer.TryComputeSignature(timeMs, signature, out _);
        string body = $$"""{"id":"{{Encoding.ASCII.GetString(_requestId)}}","orderId":"{{Fixtures.OrderId}}","symbol":"{{Fixtures.Symbol}}","time":{{timestamp}}}""";
        CancelStepVerifier.VerifyRequest(
            captured.WrittenSpan,
            1,
            decoder,
            CancelStepVerifier.CancelHeaders(Fixtures.Authority, _template.Path, timestamp, Encoding.ASCII.GetString(signature)),
            body);
        _streamId = 1;
    }

    /// <summary>Releases the signer, the writer and the connection's send side.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _signer.Dispose();
        _writer.Dispose();
        _headerBlock.Dispose();
    }

    /// <summary>One cancel, from intent to frames in the connection's output.</summary>
    /// <returns>The octets written.</returns>
    [Benchmark]
    public int OneCancel() => Step(_output);

    private int Step(IBufferWriter<byte> output)
    {
        _ids.TryWriteNext(_requestId, out _);
        long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        CancelSigner.TryWriteTimestamp(nowMs, _timestamp, out _);
        ReadOnlySpan<byte> signature = _signer.GetSignature(nowMs);
        ReadOnlySpan<byte> body = _writer.Write(_requestId, Fixtures.OrderIdUtf8, Fixtures.SymbolUtf8, nowMs);
        int blockLength = _headerBlock.Write(_timestamp, signature);
        int written = Http2FrameWriter.WriteHeadersAndData(output, _streamId, _headerBlock.Block(blockLength), body, Fixtures.MaxFrameSize);
        _streamId = _streamId >= 0x7FFF_FFF0 ? 1 : _streamId + 2;
        return written;
    }
}
