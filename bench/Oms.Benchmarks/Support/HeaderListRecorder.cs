using System.Text;
using Oms.Transport.HPack;

namespace Oms.Benchmarks.Support;

/// <summary>Collects decoded header fields as text, for checking a benchmark's output once in its setup.</summary>
internal sealed class HeaderListRecorder : IHPackHeaderHandler
{
    /// <summary>The fields in block order.</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = [];

    /// <inheritdoc />
    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        Headers.Add(new(Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(value)));
}
