using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Oms.Benchmarks.Support;
using Oms.Transport.Client;
using Oms.Transport.HPack;

namespace Oms.Benchmarks.HPack;

/// <summary>
/// HPACK for one cancel: encoding its header block (the connection's cached constants plus two literals, against
/// a full pass through <see cref="HPackEncoder"/> with the same dynamic table), and decoding the venue's
/// response header block (as literals, the first answer's form, and as indexed fields, the steady state).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class HPackBenchmarks
{
    private const int MaxHeaderListSize = 64 * 1024;

    private readonly byte[] _block = new byte[512];
    private Http2RequestTemplate _template = null!;
    private CancelHeaderBlock _cached = null!;
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
        _encoder = new HPackEncoder();
        _cached = new CancelHeaderBlock(_template, _encoder, "http", Fixtures.Authority);
        VerifyRequestBlock(CachedConstantBlock());
        VerifyRequestBlock(FullEncoderPass());

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

        BenchmarkCheck.Equal(200 + (Fixtures.ResponseHeaders.Count * 1000), DecodeLiteralBlock(), "literal block status and field count");
        BenchmarkCheck.Equal(200 + (Fixtures.ResponseHeaders.Count * 1000), DecodeIndexedBlock(), "indexed block status and field count");
    }

    /// <summary>What the connection does per request: copy the cached constants, append the timestamp and signature literals.</summary>
    /// <returns>The block's length.</returns>
    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int CachedConstantBlock() => _cached.Write(_timestamp, _signature, _block);

    /// <summary>The alternative: look every field up in the encoder's tables on every request.</summary>
    /// <returns>The block's length.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public int FullEncoderPass()
    {
        Span<byte> destination = _block;
        int length = 0;
        length += Encode(":method"u8, _template.MethodBytes, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode(":scheme"u8, _cached.Scheme, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode(":authority"u8, _cached.AuthorityBytes, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode(":path"u8, _template.PathBytes, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode("content-type"u8, "application/json"u8, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode("x-auth-key"u8, _apiKey, HPackIndexing.Incremental, huffman: true, destination[length..]);
        length += Encode("x-auth-timestamp"u8, _timestamp, HPackIndexing.WithoutIndexing, huffman: false, destination[length..]);
        length += Encode("x-auth-signature"u8, _signature, HPackIndexing.NeverIndexed, huffman: false, destination[length..]);
        return length;
    }

    /// <summary>A response block of literals (Huffman-coded values, nothing added to the table): every string decoded.</summary>
    /// <returns>The status plus a thousand per field.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public int DecodeLiteralBlock()
    {
        var capture = default(StatusCapture);
        _literalDecoder.Decode(_literalResponse, endHeaders: true, ref capture);
        return capture.Status + (capture.Fields * 1000);
    }

    /// <summary>The steady state with Kestrel: every field already in the dynamic table, one octet each.</summary>
    /// <returns>The status plus a thousand per field.</returns>
    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int DecodeIndexedBlock()
    {
        var capture = default(StatusCapture);
        _indexedDecoder.Decode(_indexedResponse, endHeaders: true, ref capture);
        return capture.Status + (capture.Fields * 1000);
    }

    private int Encode(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, HPackIndexing indexing, bool huffman, Span<byte> destination)
    {
        if (!_encoder.TryEncodeHeader(name, value, indexing, huffman, destination, out int written))
        {
            throw new InvalidOperationException("The header block buffer is too small.");
        }

        return written;
    }

    private void VerifyRequestBlock(int length)
    {
        var decoder = new HPackDecoder(MaxHeaderListSize);
        decoder.Decode(_cached.FirstBlockConstants.AsSpan(0, _cached.FirstBlockConstantsLength), endHeaders: true, new HeaderListRecorder());
        var recorder = new HeaderListRecorder();
        decoder.Decode(_block.AsSpan(0, length), endHeaders: true, recorder);
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
