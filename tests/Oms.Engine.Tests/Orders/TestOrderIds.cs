namespace Oms.Engine.Tests.Orders;

/// <summary>Order ids shaped like the exchange's, numbered so that tests can make as many distinct ones as they need.</summary>
internal static class TestOrderIds
{
    private const long BaseMilliseconds = 0x18F2C3D4E5F;

    /// <summary>
    /// A 32-character id: <c>a</c>, 11 hex digits of a placement time, the UID <c>U</c> plus 10 digits and the last
    /// 9 characters of a request id. <paramref name="n"/> appears both in the time and in the tail, so ids differ
    /// at both ends (a torn mix of two ids is not a third id).
    /// </summary>
    public static string Text(int n) =>
        string.Create(CultureInfo.InvariantCulture, $"a{BaseMilliseconds + n:x11}U1234567890{n:D9}");

    /// <summary>A 31-character id of the older shape (10 hex digits of time).</summary>
    public static string OlderText(int n) =>
        string.Create(CultureInfo.InvariantCulture, $"a{BaseMilliseconds - 0x10000000000 + n:x10}U1234567890{n:D9}");

    public static byte[] Bytes(int n) => Encoding.ASCII.GetBytes(Text(n));

    public static byte[] OlderBytes(int n) => Encoding.ASCII.GetBytes(OlderText(n));

    public static byte[][] ManyBytes(int count) => [.. Enumerable.Range(0, count).Select(Bytes)];
}
