namespace Oms.Engine.Sequencing;

/// <summary>
/// The one padding constant that keeps hot, independently written fields off each other's cache lines.
/// </summary>
/// <remarks>
/// A cache line is 64 bytes on current x86-64 and most Arm cores, but Intel's spatial (adjacent-line)
/// prefetcher pulls lines in 128-byte aligned pairs, and Apple silicon and some Arm server cores use 128-byte
/// lines outright. Two counters 64 bytes apart can therefore still ping-pong between cores. Padding by 128
/// bytes on each side of a hot value is the size that is safe on all of them; the cost is a few hundred bytes
/// per padded value, and there are only a handful of them per engine.
/// </remarks>
internal static class CacheLine
{
    /// <summary>
    /// Bytes of padding kept on each side of a hot value (128: a pair of 64-byte lines, see remarks).
    /// </summary>
    public const int PaddingSize = 128;
}
