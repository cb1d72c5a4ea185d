using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Oms.Testing.Sequences;
using Xunit;

namespace Oms.Testing.Properties;

/// <summary>
/// Generators and a hang guard shared by the property tests: bounded byte inputs, byte-level mutations of a
/// valid input, and random cuts of an input into the segments of a <see cref="ReadOnlySequence{T}"/>. An instance
/// draws its octets with a bias towards those its subject treats specially (<see cref="Json"/>, <see cref="HPack"/>).
/// </summary>
public sealed class PropertyHarness
{
    /// <summary>The largest input generated: enough for several frames, header blocks or bodies, small enough to stay fast.</summary>
    public const int MaxInputLength = 4096;

    // A case runs in microseconds; only a loop that never ends comes anywhere near this, so the bound cannot
    // fail correct code on a slow machine and still turns a hang into a failed test.
    private static readonly TimeSpan s_caseLimit = TimeSpan.FromSeconds(30);

    /// <summary>Draws octets from <paramref name="favoured"/> as often as their weights say, against a weight of 6 for any octet.</summary>
    /// <param name="favoured">Weighted generators of the octets the subject treats specially.</param>
    public PropertyHarness(params (int Weight, Gen<byte> Octets)[] favoured)
    {
        AnyByte = Gen.Frequency([(6, Gen.Choose(0, 255).Select(i => (byte)i)), .. favoured]);
    }

    /// <summary>For JSON parsers: JSON's structural characters and the extremes drawn more often than chance would.</summary>
    public static PropertyHarness Json { get; } = new(
        (3, Gen.Elements("{}[]:,\"\\/ 0-e.tfn*\r\n"u8.ToArray())),
        (1, Gen.Elements<byte>(0x00, 0x7F, 0x80, 0xBF, 0xC0, 0xEF, 0xF0, 0xFF)));

    /// <summary>
    /// For frame and HPACK decoders: the boundaries of HPACK's representation prefixes and of small lengths drawn more
    /// often than chance would: all-ones prefixes start multi-octet integers, 0x80 continues one.
    /// </summary>
    public static PropertyHarness HPack { get; } = new(
        (2, Gen.Choose(0, 16).Select(i => (byte)i)),
        (2, Gen.Elements<byte>(0x0F, 0x10, 0x1F, 0x20, 0x3F, 0x40, 0x7F, 0x80, 0x81, 0xBE, 0xBF, 0xC0, 0xFE, 0xFF)));

    /// <summary>Any octet, with the favoured ones drawn more often.</summary>
    public Gen<byte> AnyByte { get; }

    /// <summary>Runs one case on a worker and fails it if it has not finished within a generous bound.</summary>
    /// <param name="body">The case.</param>
    public static void RunBounded(Action body)
    {
        // A thread of its own rather than the pool's: other tests blocking pool threads must not delay the start.
        Task task = Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // WaitAny, unlike Wait, does not wrap a failed case's exception; GetResult below rethrows it as it was.
        if (Task.WaitAny([task], s_caseLimit) < 0)
        {
            Assert.Fail($"A case ran for more than {s_caseLimit.TotalSeconds} s: the code under test does not terminate on this input.");
        }

        task.GetAwaiter().GetResult();
    }

    /// <summary>Byte arrays of 0 to <paramref name="maxLength"/> octets, short ones more often than long ones.</summary>
    /// <param name="maxLength">The longest array.</param>
    /// <returns>The generator.</returns>
    public Gen<byte[]> Bytes(int maxLength) =>
        Gen.Frequency(
            (4, Gen.Choose(0, Math.Min(64, maxLength))),
            (2, Gen.Choose(0, Math.Min(512, maxLength))),
            (1, Gen.Choose(0, maxLength)))
        .SelectMany(length => Gen.ArrayOf(AnyByte, length));

    /// <summary>
    /// <paramref name="original"/> after one to four byte-level edits: flip a bit, overwrite, insert or delete an
    /// octet, or cut the tail off.
    /// </summary>
    /// <param name="original">A valid input; it is not modified.</param>
    /// <returns>The generator.</returns>
    public Gen<byte[]> Mutated(byte[] original)
    {
        Gen<(int Kind, int Position, byte Value)> edit =
            from kind in Gen.Choose(0, 4)
            from position in Gen.Choose(0, int.MaxValue)
            from value in AnyByte
            select (kind, position, value);
        return Gen.Choose(1, 4)
            .SelectMany(count => Gen.ArrayOf(edit, count))
            .Select(edits => ApplyEdits(original, edits));
    }

    /// <summary>Cut points for an input of <paramref name="length"/> octets: 1 to 8 offsets, sorted, repeats allowed (empty segments).</summary>
    /// <param name="length">The input length.</param>
    /// <returns>The generator.</returns>
    public static Gen<int[]> CutPoints(int length) =>
        Gen.Choose(1, 8)
            .SelectMany(count => Gen.ArrayOf(Gen.Choose(0, length), count))
            .Select(cuts => cuts.Order().ToArray());

    /// <summary>Cuts <paramref name="data"/> at <paramref name="cuts"/> into a multi-segment sequence.</summary>
    /// <param name="data">The input.</param>
    /// <param name="cuts">Sorted offsets from 0 to the input length.</param>
    /// <returns>A sequence of <c>cuts.Length + 1</c> segments holding <paramref name="data"/>.</returns>
    public static ReadOnlySequence<byte> Split(byte[] data, int[] cuts)
    {
        var parts = new byte[cuts.Length + 1][];
        int start = 0;
        for (int i = 0; i < cuts.Length; i++)
        {
            parts[i] = data[start..cuts[i]];
            start = cuts[i];
        }

        parts[^1] = data[start..];
        return SegmentedSequence.FromSegments(parts);
    }

    private static byte[] ApplyEdits(byte[] original, (int Kind, int Position, byte Value)[] edits)
    {
        var bytes = new List<byte>(original);
        foreach ((int kind, int position, byte value) in edits)
        {
            if (bytes.Count == 0)
            {
                bytes.Add(value);
                continue;
            }

            int at = position % bytes.Count;
            switch (kind)
            {
                case 0:
                    bytes[at] ^= (byte)(1 << (value & 7));
                    break;
                case 1:
                    bytes[at] = value;
                    break;
                case 2:
                    bytes.Insert(position % (bytes.Count + 1), value);
                    break;
                case 3:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
