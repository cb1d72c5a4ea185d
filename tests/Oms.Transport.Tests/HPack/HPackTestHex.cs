namespace Oms.Transport.Tests.HPack;

/// <summary>Hex dumps as the RFC prints them ("8286 8441 ...") to bytes and back.</summary>
internal static class HPackTestHex
{
    public static byte[] Parse(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
