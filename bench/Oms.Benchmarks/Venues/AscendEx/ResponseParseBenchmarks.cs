using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Oms.Benchmarks.Support;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Benchmarks.Venues.AscendEx;

/// <summary>
/// Reading the contract's Ack and Err examples: <see cref="CancelResponseParser"/> against
/// <see cref="JsonDocument"/>, each taking out what the engine acts on (code, status, echoed id, reason, message).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ResponseParseBenchmarks
{
    private readonly byte[] _reason = new byte[64];
    private readonly byte[] _message = new byte[256];
    private readonly byte[] _diagnostic = new byte[64];
    private CancelResponseParser _parser = null!;
    private byte[] _ack = [];
    private byte[] _err = [];

    /// <summary>Loads the fixtures and checks that both readers find the same facts in them.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _parser = new CancelResponseParser(CancelProfile.V1);
        _ack = Encoding.UTF8.GetBytes(Fixtures.AckBody);
        _err = Encoding.UTF8.GetBytes(Fixtures.ErrBody);

        CancelResponse ack = _parser.Parse(_ack, _reason, _message, _diagnostic);
        BenchmarkCheck.Equal(CancelResponseKind.Ack, ack.Kind, "parser kind of the Ack");
        BenchmarkCheck.That(ack.EchoedIdEquals(Fixtures.RequestIdUtf8), "parser echoed id of the Ack");
        CancelResponse err = _parser.Parse(_err, _reason, _message, _diagnostic);
        BenchmarkCheck.Equal(CancelResponseKind.Err, err.Kind, "parser kind of the Err");
        BenchmarkCheck.Equal(Fixtures.ErrCode, err.Code, "parser code of the Err");
        BenchmarkCheck.Equal(VenueReason.InvalidOrderId, err.Reason, "parser reason of the Err");
        BenchmarkCheck.That(err.EchoedIdEquals(Encoding.ASCII.GetBytes(Fixtures.ErrRequestId)), "parser echoed id of the Err");

        BenchmarkCheck.Equal(ParserAck(), JsonDocumentAck(), "checksum of the Ack");
        BenchmarkCheck.Equal(ParserErr(), JsonDocumentErr(), "checksum of the Err");
    }

    /// <summary>Our parser on the Ack.</summary>
    /// <returns>A checksum of what was read: code, whether it is an Ack, the echoed id's length.</returns>
    [Benchmark]
    [BenchmarkCategory("Ack")]
    public long ParserAck() => ReadWithParser(_ack);

    /// <summary>The yardstick on the Ack: parse a <see cref="JsonDocument"/>, then walk it.</summary>
    /// <returns>The same checksum.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Ack")]
    public long JsonDocumentAck() => ReadWithDocument(_ack);

    /// <summary>Our parser on the Err.</summary>
    /// <returns>A checksum of what was read: code, whether it is an Ack, echoed id, reason and message lengths.</returns>
    [Benchmark]
    [BenchmarkCategory("Err")]
    public long ParserErr() => ReadWithParser(_err);

    private long ReadWithParser(byte[] body)
    {
        CancelResponse response = _parser.Parse(body, _reason, _message, _diagnostic);
        return Checksum(response.Code, response.Kind == CancelResponseKind.Ack, response.EchoedIdLength, response.ReasonBytesCopied, response.MessageBytesCopied);
    }

    /// <summary>The yardstick on the Err.</summary>
    /// <returns>The same checksum.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Err")]
    public long JsonDocumentErr() => ReadWithDocument(_err);

    // The obvious code: strings for the texts, the status compared as a string.
    private static long ReadWithDocument(byte[] body)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        long code = root.GetProperty("code").GetInt64();
        string? id = null;
        string? reason = null;
        string? message = null;
        bool isAck = false;
        if (code == 0 && root.TryGetProperty("data", out JsonElement data))
        {
            isAck = data.GetProperty("status").GetString() == "Ack";
            id = data.GetProperty("info").GetProperty("id").GetString();
        }
        else
        {
            reason = root.GetProperty("reason").GetString();
            message = root.GetProperty("message").GetString();
            if (root.TryGetProperty("info", out JsonElement info) && info.TryGetProperty("id", out JsonElement echoed))
            {
                id = echoed.GetString();
            }
        }

        return Checksum(code, isAck, id?.Length ?? 0, reason?.Length ?? 0, message?.Length ?? 0);
    }

    private static long Checksum(long code, bool isAck, int idLength, int reasonLength, int messageLength) =>
        code + (isAck ? 1_000_000_000 : 0) + (idLength * 1_000_000L) + (reasonLength * 1_000L) + messageLength;
}
