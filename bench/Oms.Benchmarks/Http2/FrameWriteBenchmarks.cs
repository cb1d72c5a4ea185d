using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Oms.Benchmarks.Support;
using Oms.Transport.HPack;
using Oms.Transport.Http2;

namespace Oms.Benchmarks.Http2;

/// <summary>Writing one cancel's HEADERS and DATA frames into a writer that discards: the framing cost alone.</summary>
[MemoryDiagnoser]
public class FrameWriteBenchmarks
{
    private readonly DiscardingBufferWriter _writer = new();
    private byte[] _headerBlock = [];
    private byte[] _body = [];
    private int _streamId = 1;

    /// <summary>Encodes the fixture cancel's header block and checks that the frames carry it and the body intact.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var template = Fixtures.CreateCancelTemplate();
        byte[] timestamp = Encoding.ASCII.GetBytes(Fixtures.TimestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        byte[] signature = Encoding.ASCII.GetBytes(Fixtures.Signature);
        using var block = new ConnectionHeaderBlock(template, Fixtures.Authority, timestamp, signature);
        _headerBlock = block.Block(block.Write(timestamp, signature)).ToArray();
        _body = Encoding.ASCII.GetBytes(Fixtures.RequestBody);

        var decoder = new HPackDecoder(64 * 1024);
        decoder.Decode(block.FirstBlock, endHeaders: true, new HeaderListRecorder());
        var captured = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteHeadersAndData(captured, 1, _headerBlock, _body, Fixtures.MaxFrameSize);
        CancelStepVerifier.VerifyRequest(
            captured.WrittenSpan,
            1,
            decoder,
            CancelStepVerifier.CancelHeaders(Fixtures.Authority, template.Path, Fixtures.TimestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture), Fixtures.Signature),
            Fixtures.RequestBody);
    }

    /// <summary>HEADERS (END_HEADERS) then one DATA (END_STREAM) for one request.</summary>
    /// <returns>The octets written (18 of frame headers plus the block and the body).</returns>
    [Benchmark]
    public int HeadersAndData()
    {
        int written = Http2FrameWriter.WriteHeadersAndData(_writer, _streamId, _headerBlock, _body, Fixtures.MaxFrameSize);
        _streamId = _streamId >= 0x7FFF_FFF0 ? 1 : _streamId + 2;
        return written;
    }
}
