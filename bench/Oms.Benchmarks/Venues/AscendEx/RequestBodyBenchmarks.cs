using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Oms.Benchmarks.Support;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Benchmarks.Venues.AscendEx;

/// <summary>The JSON body of one cancel: our reused <see cref="Utf8JsonWriter"/> against serializing an anonymous object.</summary>
[MemoryDiagnoser]
public class RequestBodyBenchmarks
{
    private CancelRequestWriter _writer = null!;
    private TemplateBodyWriter _candidate = null!;

    /// <summary>Creates the writer and checks that both variants produce the writer tests' golden body.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _writer = new CancelRequestWriter(CancelProfile.V1);
        BenchmarkCheck.Equal(Fixtures.RequestBody, Encoding.UTF8.GetString(_writer.Write(Fixtures.RequestIdUtf8, Fixtures.OrderIdUtf8, Fixtures.SymbolUtf8, Fixtures.TimestampMs)), "writer body");
        BenchmarkCheck.Equal(Fixtures.RequestBody, JsonSerializerAnonymous(), "serializer body");
        _candidate = new TemplateBodyWriter();
        BenchmarkCheck.Equal(Fixtures.RequestBody, Encoding.UTF8.GetString(_candidate.Write(Fixtures.RequestIdUtf8, Fixtures.OrderIdUtf8, Fixtures.SymbolUtf8, Fixtures.TimestampMs)), "candidate body");
        BenchmarkCheck.Equal(
            Encoding.UTF8.GetString(_writer.Write(Fixtures.RequestIdUtf8, "a\\\"b"u8, Fixtures.SymbolUtf8, Fixtures.TimestampMs)),
            Encoding.UTF8.GetString(_candidate.Write(Fixtures.RequestIdUtf8, "a\\\"b"u8, Fixtures.SymbolUtf8, Fixtures.TimestampMs)),
            "candidate body for a field that needs escaping");
    }

    /// <summary>Releases the writer.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _candidate.Dispose();
    }

    /// <summary><see cref="CancelRequestWriter.Write"/>: reset writer, pre-encoded names, a buffer allocated once.</summary>
    /// <returns>The body's length.</returns>
    [Benchmark]
    public int CancelRequestWriter() =>
        _writer.Write(Fixtures.RequestIdUtf8, Fixtures.OrderIdUtf8, Fixtures.SymbolUtf8, Fixtures.TimestampMs).Length;

    /// <summary>The candidate: a fixed template filled by copying, the library writer only for fields that need escaping.</summary>
    /// <returns>The body's length.</returns>
    [Benchmark]
    public int TemplateCandidate() =>
        _candidate.Write(Fixtures.RequestIdUtf8, Fixtures.OrderIdUtf8, Fixtures.SymbolUtf8, Fixtures.TimestampMs).Length;

    /// <summary>The yardstick: <see cref="JsonSerializer.Serialize{TValue}(TValue, JsonSerializerOptions?)"/> of an anonymous object.</summary>
    /// <returns>The body text.</returns>
    [Benchmark(Baseline = true)]
    public string JsonSerializerAnonymous() =>
        JsonSerializer.Serialize(new { id = Fixtures.RequestId, orderId = Fixtures.OrderId, symbol = Fixtures.Symbol, time = Fixtures.TimestampMs });
}
