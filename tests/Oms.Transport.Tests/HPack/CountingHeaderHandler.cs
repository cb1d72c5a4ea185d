namespace Oms.Transport.Tests.HPack;

/// <summary>A handler that allocates nothing: counts fields and sums their octets, for allocation tests.</summary>
internal struct CountingHeaderHandler : IHPackHeaderHandler
{
    public int Count;
    public long Octets;

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Count++;
        Octets += name.Length + value.Length;
    }
}
