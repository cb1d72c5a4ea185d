using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Oms.Benchmarks.Support;
using Oms.Transport.Client;
using Oms.Transport.Connections;
using Oms.Transport.HPack;

namespace Oms.Benchmarks.HPack;

/// <summary>
/// HPACK for one cancel: encoding its header block (the connection's own code: cached constants plus two literals,
/// against a full pass through <see cref="HPackEncoder"/> with the same dynamic table), and decoding the venue's
/// response header block into what the connection's reader takes from it (as literals, the first answer's form,
/// and as indexed fields, the steady state).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class HPackBenchmarks
{
    private const int MaxHeaderListSize = 64 * 1024;

    private readonly byte[] _block = new byte[512];
    private Http2RequestTemplate _template = null!;
    private ConnectionHeaderBlock _cached = null!;
    private byte[] _scheme = [];
    private byte[] _authority = [];
    private HttpDateHeader _dateHeader = null!;
    private HPackEncoder _encoder = null!;
    private byte[] _timestamp = [];
    private byte[] _signature = [];
    private byte[] _apiKey = [];
    private byte[] _literalResponse = [];
    private byte[] _indexedResponse = [];
    private HPackDecoder _literalDecoder = null!;
    private HPackDecoder _indexedDecoder = null!;

    /// <summary>Builds both encoders and both response blocks, and decodes every output to check it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _template = Fixtures.CreateCancelTemplate();
        _timestamp = Encoding.ASCII.GetBytes(Fixtures.TimestampMs.ToString(CultureInfo.InvariantCulture));
        _signature = Encoding.ASCII.GetBytes(Fixtures.Signature);
        _apiKey = Encoding.ASCII.GetBytes(Fixtures.ApiKey);
        _scheme = "http"u8.ToArray();
        _authority = Encoding.ASCII.GetBytes(Fixtures.Authority);
        _cached = new ConnectionHeaderBlock(_template, Fixtures.Authority, _timestamp, _signature);
        VerifyRequestBlock(_cached.FirstBlock, _cached.Block(CachedConstantBlock()));

        // The full pass's first block inserts the same constants into its own table, as the connection's did.
        _encoder = new HPackEncoder();
        byte[] firstFullPass = _block[..FullEncoderPass()];
        VerifyRequestBlock(firstFullPass, _block.AsSpan(0, FullEncoderPass()));

        _literalResponse = EncodeResponse(new HPackEncoder(), HPackIndexing.WithoutIndexing);
        _literalDecoder = new HPackDecoder(MaxHeaderListSize);

        var venueEncoder = new HPackEncoder();
        byte[] firstResponse = EncodeResponse(venueEncoder, HPackIndexing.Incremental);
        _indexedResponse = EncodeResponse(venueEncoder, HPackIndexing.Incremental);
        _indexedDecoder = new HPackDecoder(MaxHeaderListSize);
        _indexedDecoder.Decode(firstResponse, endHeaders: true, new HeaderListRecorder());
        BenchmarkCheck.Equal(Fixtures.ResponseHeaders.Count, _indexedResponse.Length, "one octet per field in the steady-state response block");

        foreach ((HPackDecoder decoder, byte[] block) in new[] { (new HPackDecoder(MaxHeaderListSize), _literalResponse), (_indexedDecoder, _indexedResponse) })
        {
            var recorder = new HeaderListRecorder();
            decoder.Decode(block, endHeaders: true, recorder);
            BenchmarkCheck.Equal(Render(Fixtures.ResponseHeaders), Render(recorder.Headers), "decoded response headers");
        }

        _dateHeader = new HttpDateHeader();
        BenchmarkCheck.Equal(ExpectedCapture, DecodeLiteralBlock(), "literal block: status and server date as the reader takes them");
        BenchmarkCheck.Equal(ExpectedCapture, DecodeIndexedBlock(), "indexed block: status and server date as the reader takes them");
    }

    /// <summary>Releases the connection's send side.</summary>
    [GlobalCleanup]
    public void Cleanup() => _cached.Dispose();

    /// <summary>What the connection does per request: copy the cached constants, append the timestamp and signature literals.</summary>
    /// <returns>The block's length.</returns>
    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int CachedConstantBlock() => _cached.Write(_timestamp, _signature);

    /// <summary>The alternative: look every field up in the encoder's tables on every request.</summary>
    /// <returns>The block's length.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public int FullEncoderPass()
    {
        Span<byte> destination = _block;
        int length = 0;
        length += Encode(":method"u8, _template.MethodBytes, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode(":scheme"u8, _scheme, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode(":authority"u8, _authority, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode(":path"u8, _template.PathBytes, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode("content-type"u8, "application/json"u8, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode("x-auth-key"u8, _apiKey, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode("x-auth-timestamp"u8, _timestamp, HPackIndexing.WithoutIndexing, huffman: false, destination[length..]);
        length += Encode("x-auth-signature"u8, _signature, HPackIndexing.NeverIndexed, huffman: false, destination[length..]);
        return length;
    }

    /// <summary>A response block of literals (Huffman-coded values, nothing added to the table): every string decoded.</summary>
    /// <returns>The status plus the server date's seconds since the epoch, times a thousand.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public long DecodeLiteralBlock() => Decode(_literalDecoder, _literalResponse);

    /// <summary>The steady state with Kestrel: every field already in the dynamic table, one octet each.</summary>
    /// <returns>The status plus the server date's seconds since the epoch, times a thousand.</returns>
    [Benchmark]
    [BenchmarkCategory("Decode")]
    public long DecodeIndexedBlock() => Decode(_indexedDecoder, _indexedResponse);

    // What the fixture's answer must decode to: status 200, date Tue, 25 Nov 2025 00:00:00 GMT.
    private static long ExpectedCapture => 200 + (1_764_028_800L * 1000);

    // The reader's own capture, started as the reader starts it for each response.
    private long Decode(HPackDecoder decoder, byte[] block)
    {
        var capture = new ResponseHeaderCapture { RetryAfterSeconds = Http2ResponseHead.NoRetryAfter, ServerDate = Http2ResponseHead.NoServerDate, DateHeader = _dateHeader };
        decoder.Decode(block, endHeaders: true, ref capture);
        return capture.Malformed is null ? capture.Status + (capture.ServerDate * 1000) : -1;
    }

    private int Encode(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, HPackIndexing indexing, bool huffman, Span<byte> destination)
    {
        if (!_encoder.TryEncodeHeader(name, value, indexing, huffman, destination, out int written))
        {
            throw new InvalidOperationException("The header block buffer is too small.");
        }

        return written;
    }

    private void VerifyRequestBlock(byte[] firstBlock, ReadOnlySpan<byte> block)
    {
        var decoder = new HPackDecoder(MaxHeaderListSize);
        decoder.Decode(firstBlock, endHeaders: true, new HeaderListRecorder());
        var recorder = new HeaderListRecorder();
        decoder.Decode(block, endHeaders: true, recorder);
        IReadOnlyList<KeyValuePair<string, string>> expected = CancelStepVerifier.CancelHeaders(
            Fixtures.Authority, _template.Path, Fixtures.TimestampMs.ToString(CultureInfo.InvariantCulture), Fixtures.Signature);
        BenchmarkCheck.Equal(Render(expected), Render(recorder.Headers), "decoded request header block");
    }

    private static byte[] EncodeResponse(HPackEncoder encoder, HPackIndexing indexing)
    {
        var buffer = new byte[512];
        int length = 0;
        foreach ((string name, string value) in Fixtures.ResponseHeaders)
        {
            if (!encoder.TryEncodeHeader(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value), indexing, huffman: true, buffer.AsSpan(length), out int written))
            {
                throw new InvalidOperationException("The response block buffer is too small.");
            }

            length += written;
        }

        return buffer[..length];
    }

    private static string Render(IEnumerable<KeyValuePair<string, string>> headers) =>
        string.Join("\n", headers.Select(h => h.Key + ": " + h.Value));
}
