namespace Oms.Transport.Tests.Http2;

/// <summary>
/// Frames the property tests write with the frame writers (or by hand, for padding and priority) and then expect
/// the reader to give back: each spec writes its octets and matches what was read.
/// </summary>
internal static class WrittenFrames
{
    internal enum SplitMode
    {
        HeadersAndData,
        HeadersOnly,
        DataOnly,
    }

    internal static void Write(ArrayBufferWriter<byte> output, int capacity, SpanWriter write)
    {
        Span<byte> span = output.GetSpan(capacity);
        Assert.True(write(span, out int written), "the writer refused a span large enough");
        output.Advance(written);
    }

    internal delegate bool SpanWriter(Span<byte> destination, out int bytesWritten);

    // A frame as the reader saw it, reduced to comparable values: its content octets (DATA, HEADERS and
    // CONTINUATION without padding, GOAWAY's debug data) and its other fields as text.
    internal sealed record Decoded(Http2FrameType Type, Http2FrameFlags Flags, int StreamId, int PayloadLength, byte[] Content, string Fields)
    {
        public static Decoded Read(Http2FrameHeader header, ReadOnlySequence<byte> payload)
        {
            byte[] content = [];
            string fields = string.Empty;
            switch (header.Type)
            {
                case Http2FrameType.Data:
                    content = Http2FrameReader.ReadData(header, payload).ToArray();
                    break;
                case Http2FrameType.Headers:
                    content = Http2FrameReader.ReadHeaders(header, payload).ToArray();
                    break;
                case Http2FrameType.Continuation:
                    content = Http2FrameReader.ReadContinuation(header, payload).ToArray();
                    break;
                case Http2FrameType.Settings:
                    var settings = new List<string>();
                    foreach (Http2Setting setting in Http2ControlFrameReader.ReadSettings(header, payload))
                    {
                        settings.Add(Describe(setting));
                    }

                    fields = string.Join(",", settings);
                    break;
                case Http2FrameType.Ping:
                    fields = Http2ControlFrameReader.ReadPing(header, payload).ToString("x16", CultureInfo.InvariantCulture);
                    break;
                case Http2FrameType.GoAway:
                    Http2GoAwayPayload goAway = Http2ControlFrameReader.ReadGoAway(header, payload);
                    fields = FormattableString.Invariant($"last={goAway.LastStreamId} code={(uint)goAway.ErrorCode}");
                    content = goAway.DebugData.ToArray();
                    break;
                case Http2FrameType.WindowUpdate:
                    fields = Http2ControlFrameReader.ReadWindowUpdate(header, payload).ToString(CultureInfo.InvariantCulture);
                    break;
                case Http2FrameType.RstStream:
                    fields = ((uint)Http2ControlFrameReader.ReadRstStream(header, payload)).ToString(CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new InvalidOperationException($"The writer produced an unexpected {header}.");
            }

            return new Decoded(header.Type, header.Flags, header.StreamId, header.PayloadLength, content, fields);
        }

        public static string Describe(Http2Setting setting) =>
            FormattableString.Invariant($"{(ushort)setting.Parameter}={setting.Value}");

        public string Key => FormattableString.Invariant($"{Type} flags=0x{(byte)Flags:x2} stream={StreamId} [{Convert.ToHexString(Content)}] {Fields}");
    }

    internal abstract record FrameSpec
    {
        public abstract void Write(ArrayBufferWriter<byte> output);

        public abstract void Match(Queue<Decoded> frames);

        protected static void MatchOne(Queue<Decoded> frames, Decoded expected)
        {
            Assert.True(frames.TryDequeue(out Decoded? actual), $"missing {expected.Key}");
            Assert.Equal(expected.Key, actual.Key);
        }
    }

    internal sealed record DataSpec(int Stream, byte[] Data, bool EndStream) : FrameSpec
    {
        private Http2FrameFlags Flags => EndStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None;

        public override void Write(ArrayBufferWriter<byte> output) =>
            WrittenFrames.Write(output, 9 + Data.Length, (Span<byte> d, out int w) => Http2FrameWriter.TryWriteData(d, Stream, Data, Flags, out w));

        public override void Match(Queue<Decoded> frames) =>
            MatchOne(frames, new Decoded(Http2FrameType.Data, Flags, Stream, Data.Length, Data, string.Empty));
    }

    internal sealed record HeadersSpec(int Stream, byte[] Fragment, Http2FrameFlags Flags) : FrameSpec
    {
        public override void Write(ArrayBufferWriter<byte> output) =>
            WrittenFrames.Write(output, 9 + Fragment.Length, (Span<byte> d, out int w) => Http2FrameWriter.TryWriteHeaders(d, Stream, Fragment, Flags, out w));

        public override void Match(Queue<Decoded> frames) =>
            MatchOne(frames, new Decoded(Http2FrameType.Headers, Flags, Stream, Fragment.Length, Fragment, string.Empty));
    }

    internal sealed record ContinuationSpec(int Stream, byte[] Fragment, bool EndHeaders) : FrameSpec
    {
        private Http2FrameFlags Flags => EndHeaders ? Http2FrameFlags.EndHeaders : Http2FrameFlags.None;

        public override void Write(ArrayBufferWriter<byte> output) =>
            WrittenFrames.Write(output, 9 + Fragment.Length, (Span<byte> d, out int w) => Http2FrameWriter.TryWriteContinuation(d, Stream, Fragment, Flags, out w));

        public override void Match(Queue<Decoded> frames) =>
            MatchOne(frames, new Decoded(Http2FrameType.Continuation, Flags, Stream, Fragment.Length, Fragment, string.Empty));
    }

    internal sealed record SettingsSpec(Http2Setting[] Settings) : FrameSpec
    {
        public override void Write(ArrayBufferWriter<byte> output) =>
            WrittenFrames.Write(output, 9 + (6 * Settings.Length), (Span<byte> d, out int w) => Http2ControlFrameWriter.TryWriteSettings(d, Settings, out w));

        public override void Match(Queue<Decoded> frames) =>
            MatchOne(frames, new Decoded(Http2FrameType.Settings, Http2FrameFlags.None, 0, 6 * Settings.Length, [], string.Join(",", Settings.Select(Decoded.Describe))));
    }

    internal sealed record SettingsAckSpec : FrameSpec
    {
        public override void Write(ArrayBufferWriter<byte> output) =>
            WrittenFrames.Write(output, 9, Http2ControlFrameWriter.TryWriteSettingsAck);

        public override void Match(Queue<Decoded> frames) =>
            MatchOne(frames, new Decoded(Http2FrameType.Settings, Http2FrameFlags.Ack, 0, 0, [], string.Empty));
    }

    internal sealed record PingSpec(ulong Data, bool Ack) : FrameSpec
    {
        public override void Write(ArrayBufferWriter<byte> output) =>
            WrittenFrames.Write(output, 17, (Span<byte> d, out int w) => Ack ? Http2ControlFrameWriter.TryWritePingAck(d, Data, out w) : Http2ControlFrameWriter.TryWritePing(d, Data, out w));

        public override void Match(Queue<Decoded> frames) =>
            MatchOne(frames, new Decoded(Http2FrameType.Ping, Ack ? Http2FrameFlags.Ack : Http2FrameFlags.None, 0, 8, [], Data.ToString("x16", CultureInfo.InvariantCulture)));
    }

    internal sealed record GoAwaySpec(int LastStreamId, uint ErrorCode, byte[] Debug) : FrameSpec
    {
        public override void Write(ArrayBufferWriter<byte> output) =>
            WrittenFrames.Write(output, 17 + Debug.Length, (Span<byte> d, out int w) => Http2ControlFrameWriter.TryWriteGoAway(d, LastStreamId, (Http2ErrorCode)ErrorCode, Debug, out w));

        public override void Match(Queue<Decoded> frames) =>
            MatchOne(frames, new Decoded(Http2FrameType.GoAway, Http2FrameFlags.None, 0, 8 + Debug.Length, Debug, FormattableString.Invariant($"last={LastStreamId} code={ErrorCode}")));
    }

    internal sealed record WindowUpdateSpec(int Stream, int Increment) : FrameSpec
    {
        public override void Write(ArrayBufferWriter<byte> output) =>
            WrittenFrames.Write(output, 13, (Span<byte> d, out int w) => Http2ControlFrameWriter.TryWriteWindowUpdate(d, Stream, Increment, out w));

        public override void Match(Queue<Decoded> frames) =>
            MatchOne(frames, new Decoded(Http2FrameType.WindowUpdate, Http2FrameFlags.None, Stream, 4, [], Increment.ToString(CultureInfo.InvariantCulture)));
    }

    internal sealed record RstStreamSpec(int Stream, uint ErrorCode) : FrameSpec
    {
        public override void Write(ArrayBufferWriter<byte> output) =>
            WrittenFrames.Write(output, 13, (Span<byte> d, out int w) => Http2ControlFrameWriter.TryWriteRstStream(d, Stream, (Http2ErrorCode)ErrorCode, out w));

        public override void Match(Queue<Decoded> frames) =>
            MatchOne(frames, new Decoded(Http2FrameType.RstStream, Http2FrameFlags.None, Stream, 4, [], ErrorCode.ToString(CultureInfo.InvariantCulture)));
    }

    // Padding and priority fields, which the writer never produces, built by hand (RFC 9113 sections 6.1, 6.2).
    internal sealed record PaddedSpec(bool Headers, int Stream, byte[] Content, int PadLength, bool Priority, bool EndStream) : FrameSpec
    {
        private Http2FrameFlags Flags =>
            Http2FrameFlags.Padded
            | (Priority ? Http2FrameFlags.Priority : Http2FrameFlags.None)
            | (EndStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None)
            | (Headers ? Http2FrameFlags.EndHeaders : Http2FrameFlags.None);

        private int PayloadLength => 1 + (Priority ? 5 : 0) + Content.Length + PadLength;

        public override void Write(ArrayBufferWriter<byte> output)
        {
            byte[] priority = Priority ? [0x80, 0, 0, 3, 15] : [];
            byte[] padding = Enumerable.Repeat((byte)0xA5, PadLength).ToArray();
            output.Write(RawFrame.Build(Headers ? (byte)0x1 : (byte)0x0, (byte)Flags, (uint)Stream, [(byte)PadLength, .. priority, .. Content, .. padding]));
        }

        public override void Match(Queue<Decoded> frames) =>
            MatchOne(frames, new Decoded(Headers ? Http2FrameType.Headers : Http2FrameType.Data, Flags, Stream, PayloadLength, Content, string.Empty));
    }

    // The splitting writers: a header block over HEADERS and CONTINUATION frames, a body over DATA frames,
    // through an output whose spans may be smaller than a frame (the writer's frame-by-frame path).
    internal sealed record SplitSpec(SplitMode Mode, int Stream, byte[] Block, byte[] Body, bool EndStream, int MaxFrameSize, int SpanSize) : FrameSpec
    {
        public override void Write(ArrayBufferWriter<byte> output)
        {
            IBufferWriter<byte> target = SpanSize == 0 ? output : new ChunkedBufferWriter(SpanSize);
            int written = Mode switch
            {
                SplitMode.HeadersAndData => Http2FrameWriter.WriteHeadersAndData(target, Stream, Block, Body, MaxFrameSize),
                SplitMode.HeadersOnly => Http2FrameWriter.WriteHeaders(target, Stream, Block, EndStream, MaxFrameSize),
                _ => Http2FrameWriter.WriteData(target, Stream, Body, EndStream, MaxFrameSize),
            };

            if (target is ChunkedBufferWriter chunked)
            {
                Assert.Equal(written, chunked.WrittenBytes.Length);
                output.Write(chunked.WrittenBytes);
            }
        }

        public override void Match(Queue<Decoded> frames)
        {
            bool headersEndStream = Mode == SplitMode.HeadersAndData ? Body.Length == 0 : EndStream;
            if (Mode != SplitMode.DataOnly)
            {
                MatchRun(frames, Http2FrameType.Headers, Http2FrameType.Continuation, Http2FrameFlags.EndHeaders, Block, headersEndStream);
            }

            if (Mode == SplitMode.DataOnly || (Mode == SplitMode.HeadersAndData && Body.Length > 0))
            {
                MatchRun(frames, Http2FrameType.Data, Http2FrameType.Data, Http2FrameFlags.EndStream, Body, Mode == SplitMode.HeadersAndData || EndStream);
            }
        }

        // One run: the first frame's type, then the next type, the closing flag on the last frame only, no frame
        // above the limit, no empty frame but a lone one, and the contents concatenated give the original.
        private void MatchRun(Queue<Decoded> frames, Http2FrameType firstType, Http2FrameType nextType, Http2FrameFlags closing, byte[] content, bool endStream)
        {
            var joined = new List<byte>();
            for (int index = 0; ; index++)
            {
                Assert.True(frames.TryDequeue(out Decoded? frame), $"run of {firstType} ended early");
                Assert.Equal(index == 0 ? firstType : nextType, frame.Type);
                Assert.Equal(Stream, frame.StreamId);
                Assert.InRange(frame.PayloadLength, index == 0 ? 0 : 1, MaxFrameSize);
                joined.AddRange(frame.Content);

                bool last = (frame.Flags & closing) != 0;
                Http2FrameFlags endStreamFlag = firstType == Http2FrameType.Headers
                    ? (index == 0 && endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None)
                    : Http2FrameFlags.None;
                Http2FrameFlags expected = endStreamFlag | (last ? closing : Http2FrameFlags.None);
                if (firstType == Http2FrameType.Data && !endStream)
                {
                    expected = Http2FrameFlags.None;
                    last = joined.Count == content.Length;
                }

                Assert.Equal(expected, frame.Flags);
                if (last)
                {
                    break;
                }
            }

            Assert.Equal(content, joined.ToArray());
        }
    }
}
