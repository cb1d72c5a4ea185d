using System.Text;
using BenchmarkDotNet.Attributes;
using Oms.Transport.Http2;

namespace Oms.Benchmarks.Http2;

/// <summary>Writing one cancel's HEADERS and DATA frames into a writer that discards: the framing cost alone.</summary>
[MemoryDiagnoser]
public class FrameWriteBenchmarks
{
    // Sizes of a real cancel: a header block of indexed fields plus two literals (timestamp, signature), and the body.
    private readonly byte[] _headerBlock = new byte[80];
    private readonly byte[] _body = Encoding.ASCII.GetBytes(
        """{"id":"Oms0a1b2c3d4e5f000000000000001","orderId":"a18c5f0e2b1U0123456789abcdefghi","symbol":"BTC-PERP","time":1764028800000}""");

    private readonly DiscardingBufferWriter _writer = new();
    private int _streamId = 1;

    /// <summary>HEADERS (END_HEADERS) then one DATA (END_STREAM) for one request.</summary>
    [Benchmark]
    public int HeadersAndData()
    {
        var written = Http2FrameWriter.WriteHeadersAndData(_writer, _streamId, _headerBlock, _body, 16_384);
        _streamId = _streamId >= 0x7FFF_FFF0 ? 1 : _streamId + 2;
        return written;
    }
}
