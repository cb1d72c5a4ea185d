namespace Oms.Transport.Tests.HPack;

/// <summary>Collects decoded fields as strings (Latin-1, so every octet survives the round trip).</summary>
internal sealed class RecordingHeaderHandler : IHPackHeaderHandler
{
    public List<(string Name, string Value)> Headers { get; } = [];

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        Headers.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
}
