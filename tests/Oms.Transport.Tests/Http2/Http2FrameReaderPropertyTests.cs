using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Oms.Transport.Tests.Http2.WrittenFrames;

namespace Oms.Transport.Tests.Http2;

/// <summary>
/// Properties of <see cref="Http2FrameReader"/>: arbitrary octets are either read or refused with the two
/// documented HTTP/2 exceptions, what <see cref="Http2FrameWriter"/> writes reads back field for field however
/// the octets arrive, and an incomplete frame is never consumed.
/// </summary>
public sealed class Http2FrameReaderPropertyTests
{
    // RFC 9113 section 4.2: the initial SETTINGS_MAX_FRAME_SIZE, and the largest one allowed.
    private const uint DefaultMaxFrameSize = 16_384;
    private const uint LargestMaxFrameSize = (1 << 24) - 1;

    private static readonly Http2SettingsParameter[] s_parameters =
    [
        Http2SettingsParameter.HeaderTableSize, Http2SettingsParameter.EnablePush, Http2SettingsParameter.MaxConcurrentStreams,
        Http2SettingsParameter.InitialWindowSize, Http2SettingsParameter.MaxFrameSize, Http2SettingsParameter.MaxHeaderListSize,
        Http2SettingsParameter.NoRfc7540Priorities, (Http2SettingsParameter)0x0, (Http2SettingsParameter)0x7,
        (Http2SettingsParameter)0x8, (Http2SettingsParameter)0xA, (Http2SettingsParameter)0xFFFF,
    ];

    private static readonly Gen<uint> s_anyUInt = Gen.Frequency(
        (1, Gen.Elements(0u, 1u, 2u, 5u, 16_383u, 16_384u, 0x7FFF_FFFFu, 0x8000_0000u, (1u << 24) - 1, 1u << 24, uint.MaxValue)),
        (3, Gen.Choose(int.MinValue, int.MaxValue).Select(i => (uint)i)));

    private static readonly Gen<int> s_streamId = Gen.Frequency(
        (3, Gen.Choose(1, 9)),
        (1, Gen.Elements(int.MaxValue, 0x7FFF_FFFE, 0x100, 0xFFFF)),
        (1, Gen.Choose(1, int.MaxValue)));

    private static readonly Gen<byte[]> s_content =
        Gen.Frequency((3, Gen.Choose(0, 16)), (1, Gen.Choose(0, 300)))
            .SelectMany(n => Gen.ArrayOf(PropertyHarness.HPack.AnyByte, n));

    private static readonly Gen<byte[]> s_rawSettings =
        Gen.Choose(0, 5).SelectMany(n => Gen.ArrayOf(
            from id in Gen.Frequency((3, Gen.Choose(0, 10)), (1, Gen.Choose(0, 0xFFFF)))
            from value in s_anyUInt
            select RawFrame.Setting((ushort)id, value), n))
        .Select(settings => settings.SelectMany(s => s).ToArray());

    // One frame whose header is random but plausible: mostly known types, flags that mean something,
    // small streams, a Length field that usually matches the payload, and often a payload of 0 to 13 octets,
    // around the fixed sizes (1, 4, 5, 6, 8) that the frame types and their flags call for.
    private static readonly Gen<byte[]> s_frameShaped =
        from type in Gen.Frequency((8, Gen.Choose(0, 9)), (1, Gen.Choose(10, 255)))
        from flags in Gen.Frequency((2, Gen.Choose(0, 255)), (3, Gen.Elements(0x0, 0x1, 0x4, 0x5, 0x8, 0x9, 0xC, 0x20, 0x24, 0x28, 0x2C, 0x2D)))
        from streamWord in Gen.Frequency((2, Gen.Constant(0u)), (3, Gen.Choose(1, 9).Select(i => (uint)i)), (1, s_anyUInt))
        from payload in Gen.Frequency(
            (2, s_content),
            (3, Gen.Choose(0, 13).SelectMany(n => Gen.ArrayOf(PropertyHarness.HPack.AnyByte, n))),
            (1, s_rawSettings))
        from skew in Gen.Frequency((9, Gen.Constant(0)), (1, Gen.Choose(-3, 3)))
        select RawFrame.BuildWithLength(Math.Max(0, payload.Length + skew), (byte)type, (byte)flags, streamWord, payload);

    private static readonly Gen<byte[]> s_receivedBytes = Gen.Frequency(
        (1, PropertyHarness.HPack.Bytes(PropertyHarness.MaxInputLength)),
        (4, from frames in Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(s_frameShaped, n))
            from tail in PropertyHarness.HPack.Bytes(16)
            select frames.SelectMany(f => f).Concat(tail).ToArray()));

    private static readonly Gen<uint> s_maxFrameSize = Gen.Frequency(
        (3, Gen.Constant(DefaultMaxFrameSize)),
        (1, Gen.Constant(LargestMaxFrameSize)),
        (1, Gen.Choose(0, 64).Select(i => (uint)i)));

    private static readonly Gen<Http2Setting> s_validSetting =
        from parameter in Gen.Elements(s_parameters)
        from value in (parameter switch
        {
            Http2SettingsParameter.EnablePush or Http2SettingsParameter.NoRfc7540Priorities => Gen.Elements(0u, 1u),
            Http2SettingsParameter.InitialWindowSize => Gen.Choose(0, int.MaxValue).Select(i => (uint)i),
            Http2SettingsParameter.MaxFrameSize => Gen.Choose(Http2Setting.MinMaxFrameSize, Http2Setting.MaxMaxFrameSize).Select(i => (uint)i),
            _ => s_anyUInt,
        })
        select new Http2Setting(parameter, value);

    private static readonly Gen<FrameSpec> s_frameSpecs = Gen.Frequency<FrameSpec>(
        (3, from stream in s_streamId
            from data in s_content
            from endStream in Gen.Elements(true, false)
            select (FrameSpec)new DataSpec(stream, data, endStream)),
        (2, from stream in s_streamId
            from fragment in s_content
            from flags in Gen.Elements(Http2FrameFlags.None, Http2FrameFlags.EndStream, Http2FrameFlags.EndHeaders, Http2FrameFlags.EndStream | Http2FrameFlags.EndHeaders)
            select (FrameSpec)new HeadersSpec(stream, fragment, flags)),
        (1, from stream in s_streamId
            from fragment in s_content
            from endHeaders in Gen.Elements(true, false)
            select (FrameSpec)new ContinuationSpec(stream, fragment, endHeaders)),
        (2, Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(s_validSetting, n)).Select(s => (FrameSpec)new SettingsSpec(s))),
        (1, Gen.Constant<FrameSpec>(new SettingsAckSpec())),
        (1, from high in Gen.Choose(int.MinValue, int.MaxValue)
            from low in Gen.Choose(int.MinValue, int.MaxValue)
            from ack in Gen.Elements(true, false)
            select (FrameSpec)new PingSpec(((ulong)(uint)high << 32) | (uint)low, ack)),
        (1, from last in Gen.Frequency((1, Gen.Constant(0)), (2, Gen.Choose(0, int.MaxValue)))
            from code in s_anyUInt
            from debug in s_content
            select (FrameSpec)new GoAwaySpec(last, code, debug)),
        (2, from stream in Gen.Frequency((1, Gen.Constant(0)), (2, s_streamId))
            from increment in Gen.Frequency((1, Gen.Elements(1, int.MaxValue)), (3, Gen.Choose(1, int.MaxValue)))
            select (FrameSpec)new WindowUpdateSpec(stream, increment)),
        (1, from stream in s_streamId
            from code in s_anyUInt
            select (FrameSpec)new RstStreamSpec(stream, code)),
        (2, from headers in Gen.Elements(true, false)
            from stream in s_streamId
            from content in s_content
            from padLength in Gen.Frequency((2, Gen.Choose(0, 8)), (1, Gen.Choose(0, 255)))
            from priority in Gen.Elements(true, false)
            from endStream in Gen.Elements(true, false)
            select (FrameSpec)new PaddedSpec(headers, stream, content, padLength, headers && priority, endStream)),
        (3, from mode in Gen.Elements(SplitMode.HeadersAndData, SplitMode.HeadersOnly, SplitMode.DataOnly)
            from stream in s_streamId
            from block in s_content
            from body in s_content
            from endStream in Gen.Elements(true, false)
            from maxFrameSize in Gen.Frequency((3, Gen.Choose(1, 40)), (1, Gen.Constant((int)DefaultMaxFrameSize)))
            from spanSize in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(1, 64)))
            select (FrameSpec)new SplitSpec(mode, stream, block, body, endStream, maxFrameSize, spanSize)));

    [Property(MaxTest = 2000)]
    public Property TryReadFrame_RandomBytesThenPayloadReaders_ReadOrThrowHttp2ExceptionsOnly()
    {
        Gen<(byte[] Bytes, int[] Cuts, uint MaxFrameSize)> cases =
            from bytes in s_receivedBytes
            from cuts in PropertyHarness.CutPoints(bytes.Length)
            from maxFrameSize in s_maxFrameSize
            select (bytes, cuts, maxFrameSize);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            ReadOnlySequence<byte> buffer = PropertyHarness.Split(c.Bytes, c.Cuts);
            int offset = 0;

            while (true)
            {
                ReadOnlySequence<byte> before = buffer;
                Http2FrameHeader header;
                ReadOnlySequence<byte> payload;
                try
                {
                    if (!Http2FrameReader.TryReadFrame(ref buffer, c.MaxFrameSize, out header, out payload))
                    {
                        AssertUnconsumed(before, buffer, header, payload);
                        Assert.True(c.Bytes.Length - offset < Http2FrameHeader.Size + DeclaredLength(c.Bytes, offset), "a complete frame was left unread");
                        return;
                    }
                }
                catch (Http2ConnectionException exception)
                {
                    Assert.Equal(Http2ErrorCode.FrameSizeError, exception.ErrorCode);
                    Assert.True(DeclaredLength(c.Bytes, offset) > c.MaxFrameSize, "FRAME_SIZE_ERROR for a frame within the limit");
                    return;
                }

                Assert.True(header.PayloadLength <= c.MaxFrameSize, "a frame above the limit was read");
                Assert.Equal(before.Length - Http2FrameHeader.Size - header.PayloadLength, buffer.Length);
                Assert.Equal(c.Bytes.AsSpan(offset + Http2FrameHeader.Size, header.PayloadLength).ToArray(), payload.ToArray());
                Assert.Equal((Http2FrameType)c.Bytes[offset + 3], header.Type);
                Assert.Equal((Http2FrameFlags)c.Bytes[offset + 4], header.Flags);
                Assert.Equal((int)(BinaryPrimitives.ReadUInt32BigEndian(c.Bytes.AsSpan(offset + 5)) & 0x7FFF_FFFF), header.StreamId);
                offset += Http2FrameHeader.Size + header.PayloadLength;

                ReadPayloadOrRefuse(header, payload);
            }
        }));
    }

    [Property(MaxTest = 1000)]
    public Property TryReadFrame_WriterOutputArrivingInRandomPieces_ReadsBackEveryField()
    {
        Gen<(FrameSpec[] Specs, Arrival Arrival)> cases =
            from specs in Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(s_frameSpecs, n))
            from seed in Gen.Choose(0, int.MaxValue)
            from pieces in Gen.Choose(1, 12)
            select (specs, new Arrival(seed, pieces));

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            var output = new ArrayBufferWriter<byte>();
            foreach (FrameSpec spec in c.Specs)
            {
                spec.Write(output);
            }

            byte[] bytes = output.WrittenSpan.ToArray();
            var frames = new Queue<Decoded>(ReceiveInPieces(bytes, c.Arrival.Cuts(bytes.Length)));

            foreach (FrameSpec spec in c.Specs)
            {
                spec.Match(frames);
            }

            Assert.Empty(frames);
        }));
    }

    [Property(MaxTest = 2000)]
    public Property TryReadFrame_IncompleteFrame_ConsumesNothingAndCompleteFrameConsumesExactlyIt()
    {
        Gen<(byte[] Frame, int Length, int[] Cuts, byte[] Tail)> cases =
            from frame in s_frameShaped
            from length in Gen.Choose(0, frame.Length)
            from cuts in PropertyHarness.CutPoints(length)
            from tail in PropertyHarness.HPack.Bytes(8)
            select (frame, length, cuts, tail);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            int declared = DeclaredLength(c.Frame, 0);
            bool complete = c.Length >= Http2FrameHeader.Size + declared;
            byte[] received = complete ? [.. c.Frame.AsSpan(0, c.Length), .. c.Tail] : c.Frame[..c.Length];
            ReadOnlySequence<byte> buffer = PropertyHarness.Split(received, [.. c.Cuts]);
            ReadOnlySequence<byte> before = buffer;

            bool read = Http2FrameReader.TryReadFrame(ref buffer, LargestMaxFrameSize, out Http2FrameHeader header, out ReadOnlySequence<byte> payload);

            Assert.Equal(complete, read);
            if (!read)
            {
                AssertUnconsumed(before, buffer, header, payload);
                return;
            }

            Assert.Equal(declared, header.PayloadLength);
            Assert.Equal(c.Frame.AsSpan(Http2FrameHeader.Size, declared).ToArray(), payload.ToArray());
            Assert.Equal(received.AsSpan(Http2FrameHeader.Size + declared).ToArray(), buffer.ToArray());
        }));
    }

    // The pipe's way: bytes arrive piece by piece, the reader sees everything not yet consumed (as one
    // segment per arrival), and a false return must leave that buffer exactly as it was.
    private static List<Decoded> ReceiveInPieces(byte[] bytes, int[] cuts)
    {
        var frames = new List<Decoded>();
        int[] ends = [.. cuts, bytes.Length];
        int consumed = 0;
        for (int arrival = 0; arrival < ends.Length; arrival++)
        {
            var segments = new List<byte[]>();
            int start = consumed;
            for (int i = 0; i <= arrival; i++)
            {
                if (ends[i] > start)
                {
                    segments.Add(bytes[start..ends[i]]);
                    start = ends[i];
                }
            }

            ReadOnlySequence<byte> buffer = segments.Count == 0 ? ReadOnlySequence<byte>.Empty : SegmentedSequence.FromSegments([.. segments]);
            while (true)
            {
                ReadOnlySequence<byte> before = buffer;
                if (!Http2FrameReader.TryReadFrame(ref buffer, DefaultMaxFrameSize, out Http2FrameHeader header, out ReadOnlySequence<byte> payload))
                {
                    AssertUnconsumed(before, buffer, header, payload);
                    break;
                }

                frames.Add(Decoded.Read(header, payload));
            }

            consumed = ends[arrival] - (int)buffer.Length;
        }

        Assert.Equal(bytes.Length, consumed);
        return frames;
    }

    private static void AssertUnconsumed(ReadOnlySequence<byte> before, ReadOnlySequence<byte> after, Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Assert.Equal(before.Start, after.Start);
        Assert.Equal(before.End, after.End);
        Assert.Equal(default, header);
        Assert.True(payload.IsEmpty);
    }

    private static int DeclaredLength(byte[] bytes, int offset) =>
        bytes.Length - offset < Http2FrameHeader.Size ? int.MaxValue - Http2FrameHeader.Size : (bytes[offset] << 16) | (bytes[offset + 1] << 8) | bytes[offset + 2];

    // Every payload reader either returns what RFC 9113 section 6 says the octets hold, or throws one of the two
    // documented exceptions with a code the RFC prescribes for a malformed frame; anything else escapes and fails.
    private static void ReadPayloadOrRefuse(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        try
        {
            AssertPayloadMatchesRfc(header, payload);
        }
        catch (Http2ConnectionException exception)
        {
            Assert.True(exception.ErrorCode is Http2ErrorCode.ProtocolError or Http2ErrorCode.FrameSizeError or Http2ErrorCode.FlowControlError, $"{header}: {exception.ErrorCode}");
        }
        catch (Http2StreamException exception)
        {
            Assert.True(exception.ErrorCode is Http2ErrorCode.ProtocolError or Http2ErrorCode.FrameSizeError, $"{header}: {exception.ErrorCode}");
            Assert.True(exception.StreamId == header.StreamId && exception.StreamId != 0, $"{header}: stream error on {exception.StreamId}");
        }
    }

    private static void AssertPayloadMatchesRfc(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        byte[] raw = payload.ToArray();
        switch (header.Type)
        {
            case Http2FrameType.Data:
                byte[] data = Http2FrameReader.ReadData(header, payload).ToArray();
                Assert.NotEqual(0, header.StreamId);
                Assert.Equal(Unpadded(raw, header.Flags, prefixLength: 0), data);
                break;
            case Http2FrameType.Headers:
                byte[] fragment = Http2FrameReader.ReadHeaders(header, payload).ToArray();
                Assert.NotEqual(0, header.StreamId);
                Assert.Equal(Unpadded(raw, header.Flags, header.HasFlags(Http2FrameFlags.Priority) ? 5 : 0), fragment);
                break;
            case Http2FrameType.Continuation:
                Assert.Equal(raw, Http2FrameReader.ReadContinuation(header, payload).ToArray());
                Assert.NotEqual(0, header.StreamId);
                break;
            case Http2FrameType.Settings:
                int count = 0;
                foreach (Http2Setting setting in Http2ControlFrameReader.ReadSettings(header, payload))
                {
                    Assert.Equal((Http2SettingsParameter)BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(6 * count)), setting.Parameter);
                    Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan((6 * count) + 2)), setting.Value);
                    Assert.True(setting.TryValidate(out _, out _), $"{setting} handed out");
                    count++;
                }

                Assert.Equal(header.HasFlags(Http2FrameFlags.Ack) ? 0 : raw.Length / 6, count);
                Assert.True(header.StreamId == 0 && raw.Length % 6 == 0, header.ToString());
                break;
            case Http2FrameType.Ping:
                ulong opaque = Http2ControlFrameReader.ReadPing(header, payload);
                Assert.Equal(0, header.StreamId);
                Assert.Equal(BinaryPrimitives.ReadUInt64BigEndian(raw), opaque);
                break;
            case Http2FrameType.GoAway:
                Http2GoAwayPayload goAway = Http2ControlFrameReader.ReadGoAway(header, payload);
                Assert.True(header.StreamId == 0 && raw.Length >= 8, header.ToString());
                Assert.Equal((int)(BinaryPrimitives.ReadUInt32BigEndian(raw) & 0x7FFF_FFFF), goAway.LastStreamId);
                Assert.Equal((Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(4)), goAway.ErrorCode);
                Assert.Equal(raw[8..], goAway.DebugData.ToArray());
                break;
            case Http2FrameType.RstStream:
                Http2ErrorCode code = Http2ControlFrameReader.ReadRstStream(header, payload);
                Assert.True(header.StreamId != 0 && raw.Length == 4, header.ToString());
                Assert.Equal((Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(raw), code);
                break;
            case Http2FrameType.WindowUpdate:
                int increment = Http2ControlFrameReader.ReadWindowUpdate(header, payload);
                Assert.Equal((int)(BinaryPrimitives.ReadUInt32BigEndian(raw) & 0x7FFF_FFFF), increment);
                Assert.InRange(increment, 1, int.MaxValue);
                break;
            case Http2FrameType.Priority:
                Http2ControlFrameReader.ValidatePriority(header);
                Assert.True(header.StreamId != 0 && raw.Length == 5, header.ToString());
                break;
            default:
                // PUSH_PROMISE (refused by the connection, which disables push) and extension types have no reader.
                break;
        }
    }

    // RFC 9113 sections 6.1 and 6.2, read directly: [Pad Length] [prefix] content [padding].
    private static byte[] Unpadded(byte[] raw, Http2FrameFlags flags, int prefixLength)
    {
        if ((flags & Http2FrameFlags.Padded) == 0)
        {
            return raw[prefixLength..];
        }

        int padLength = raw[0];
        return raw[(1 + prefixLength)..(raw.Length - padLength)];
    }

    // Where a stream of octets is cut into arrivals, drawn once the length is known.
    private sealed record Arrival(int Seed, int Pieces)
    {
        public int[] Cuts(int length)
        {
            var random = new Random(Seed);
            return [.. Enumerable.Range(0, Pieces - 1).Select(_ => random.Next(0, length + 1)).Order()];
        }
    }
}
