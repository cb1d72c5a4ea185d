using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Oms.Benchmarks.Support;
using Oms.Engine.Signing;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Benchmarks.Venues.AscendEx;

/// <summary>
/// The <c>x-auth-signature</c> of one cancel: from the per-millisecond cache (what the consumer pays per cancel),
/// computed with a pooled HMAC state (what it pays once per millisecond), and the one-shot
/// <see cref="HMACSHA256.HashData(byte[], byte[])"/> yardstick, span-based and as the obvious string code.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private readonly byte[] _signature = new byte[CancelSigner.SignatureLength];
    private CancelSigner _signer = null!;
    private byte[] _secret = [];
    private byte[] _message = [];

    /// <summary>Builds the signer and checks every variant against the published vector.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _signer = new CancelSigner(Fixtures.CreateCredentials(), "order");
        _secret = Encoding.UTF8.GetBytes(Fixtures.ApiSecret);
        _message = Fixtures.PrehashMessage();

        BenchmarkCheck.Equal(Fixtures.Signature, Encoding.ASCII.GetString(_signer.GetSignature(Fixtures.TimestampMs)), "cached signature");
        UncachedPooled();
        BenchmarkCheck.Equal(Fixtures.Signature, Encoding.ASCII.GetString(_signature), "pooled signature");
        HashDataOneShot();
        BenchmarkCheck.Equal(Fixtures.Signature, Encoding.ASCII.GetString(_signature), "one-shot signature");
        BenchmarkCheck.Equal(Fixtures.Signature, HashDataOneShotStrings(), "one-shot signature from strings");
    }

    /// <summary>Disposes the signer's pooled HMAC states.</summary>
    [GlobalCleanup]
    public void Cleanup() => _signer.Dispose();

    /// <summary>A cache hit: the same millisecond as the previous cancel.</summary>
    /// <returns>The signature's first and last octets, so the call cannot be dropped.</returns>
    [Benchmark]
    public int Cached()
    {
        ReadOnlySpan<byte> signature = _signer.GetSignature(Fixtures.TimestampMs);
        return signature[0] + signature[^1];
    }

    /// <summary>A computation with a pooled <see cref="IncrementalHash"/>, bypassing the cache.</summary>
    /// <returns>The signature's first and last octets.</returns>
    [Benchmark]
    public int UncachedPooled()
    {
        _signer.TryComputeSignature(Fixtures.TimestampMs, _signature, out _);
        return _signature[0] + _signature[^1];
    }

    /// <summary>The yardstick: one-shot HMAC into a span (a new native HMAC context per call), then Base64.</summary>
    /// <returns>The signature's first and last octets.</returns>
    [Benchmark(Baseline = true)]
    public int HashDataOneShot()
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_secret, _message, mac);
        Base64.EncodeToUtf8(mac, _signature, out _, out _);
        return _signature[0] + _signature[^1];
    }

    /// <summary>The code an HttpClient loop usually has: format the prehash, hash, Base64 to a string.</summary>
    /// <returns>The signature text.</returns>
    [Benchmark]
    public string HashDataOneShotStrings() =>
        Convert.ToBase64String(HMACSHA256.HashData(
            _secret, Encoding.UTF8.GetBytes(Fixtures.TimestampMs.ToString(CultureInfo.InvariantCulture) + "+order")));
}
