namespace Oms.Transport.Tests.Support;

/// <summary>Buffers for the encoders' and writers' tests: one filled with 0xFF to show what was left alone, and a known pattern.</summary>
internal static class TestBytes
{
    internal static byte[] Filled(int length) => Enumerable.Repeat((byte)0xFF, length).ToArray();

    internal static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
}
