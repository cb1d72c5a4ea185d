using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Oms.Transport.Tests.HPack;

/// <summary>
/// Properties of <see cref="HPackDecoder"/>: garbage is refused with <see cref="HPackDecodingException"/> and
/// nothing else, and whatever <see cref="HPackEncoder"/> writes, in any representation and split anywhere,
/// decodes to the same header lists with the same dynamic table.
/// </summary>
public sealed class HPackDecoderPropertyTests
{
    // Round trips use limits no generated list reaches, so only the code under test can fail them.
    private const int RoundTripListLimit = 1 << 20;
    private const int RoundTripStringLimit = 8192;
    private const int BlockCapacity = 64 * 1024;

    private static readonly string[] s_names =
    [
        ":authority", ":method", ":path", ":scheme", ":status", "accept-encoding", "content-type", "content-length",
        "user-agent", "cache-control", "date", "set-cookie", "x-auth-key", "x-auth-signature", "x-auth-timestamp",
        "custom-key", "",
    ];

    private static readonly string[] s_values =
    [
        "", "GET", "POST", "/", "/index.html", "http", "https", "200", "404", "gzip, deflate", "application/json",
        "no-cache", "custom-value",
    ];

    private static readonly string[] s_rfcSequences = ["C.2.1", "C.2.2", "C.2.3", "C.2.4", "C.3", "C.4", "C.5", "C.6"];

    private static readonly Gen<byte[]> s_lowercase =
        Gen.Choose(1, 24).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-:"u8.ToArray()), n));

    private static readonly Gen<byte[]> s_printable =
        Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(Gen.Choose(0x20, 0x7E).Select(i => (byte)i), n));

    private static readonly Gen<byte[]> s_octets =
        Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(PropertyHarness.HPack.AnyByte, n));

    private static readonly Gen<Field> s_field =
        from name in Gen.Frequency(
            (3, Gen.Elements(s_names).Select(Encoding.Latin1.GetBytes)),
            (2, s_lowercase),
            (1, s_octets.Select(o => o.Length > 24 ? o[..24] : o)))
        from value in Gen.Frequency(
            (2, Gen.Elements(s_values).Select(Encoding.Latin1.GetBytes)),
            (2, s_printable),
            (1, s_octets))
        select new Field(name, value);

    private static readonly Gen<Session> s_sessions =
        from tableSize in Gen.Frequency((2, Gen.Elements(0, 32, 64, 100, 256, 4096)), (1, Gen.Choose(0, 4096)))
        from pool in Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(s_field, n))
        from blocks in Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(BlockSpecs(pool), n))
        select new Session(tableSize, blocks);

    private static readonly Gen<EncodedSession> s_encodedSessions = s_sessions.Select(Encode);

    // RFC 7541 Appendix C: its blocks, header lists and tables, as one more source of valid input.
    private static readonly Gen<EncodedSession> s_rfcSessions = Gen.Elements(s_rfcSequences).Select(RfcSession);

    private enum Representation
    {
        // TryEncodeHeader: whatever the tables allow.
        Best,

        // TryWriteLiteralNewName, even when a table holds the name.
        NewName,

        // TryWriteLiteralIndexedName when a table holds the name, else Best.
        IndexedName,

        // TryWriteIndexed when a table holds the field, else Best.
        Indexed,
    }

    [Property(MaxTest = 2000)]
    public Property Decode_RandomBytes_DecodesOrThrowsHPackDecodingException()
    {
        Gen<(byte[] Bytes, int[] Cuts, bool[] Ends, DecoderLimits Limits)> cases =
            from bytes in PropertyHarness.HPack.Bytes(PropertyHarness.MaxInputLength)
            from cuts in PropertyHarness.CutPoints(bytes.Length)
            from ends in Gen.ArrayOf(Gen.Elements(true, false), cuts.Length + 1)
            from limits in DecoderLimits.Gen
            select (bytes, cuts, ends, limits);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            var decoder = new HPackDecoder(c.Limits.ListLimit, c.Limits.StringLimit, c.Limits.TableSize);
            var handler = new LimitCheckingHandler(c.Limits);
            byte[][] pieces = Pieces(c.Bytes, c.Cuts);

            DecodeOrRefuse(() =>
            {
                for (int i = 0; i < pieces.Length; i++)
                {
                    // Some pieces end a block and some do not; the last one always does.
                    bool endHeaders = c.Ends[i] || i == pieces.Length - 1;
                    decoder.Decode(pieces[i], endHeaders, handler);
                    if (endHeaders)
                    {
                        handler.EndBlock();
                    }
                }
            });
        }));
    }

    [Property(MaxTest = 500)]
    public Property Decode_EncoderOutputWhole_RoundTripsEveryBlockAndTable()
    {
        return Prop.ForAll(s_encodedSessions.ToArbitrary(), session => PropertyHarness.RunBounded(() =>
        {
            var decoder = new HPackDecoder(RoundTripListLimit, RoundTripStringLimit, session.TableSize);

            foreach (EncodedBlock block in session.Blocks)
            {
                ApplyLimit(decoder, block);
                var handler = new RecordingHeaderHandler();

                decoder.Decode(block.Bytes, endHeaders: true, handler);

                AssertDecoded(block, decoder, handler, session);
            }
        }));
    }

    [Property(MaxTest = 500)]
    public Property Decode_EncoderOutputSplitAnywhere_RoundTripsEveryBlockAndTable()
    {
        Gen<(EncodedSession Session, int[][] Cuts)> cases =
            from session in Gen.OneOf(s_encodedSessions, s_rfcSessions)
            from cuts in Gen.CollectToArray(session.Blocks.Select(b => PropertyHarness.CutPoints(b.Bytes.Length)))
            select (session, cuts);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            var decoder = new HPackDecoder(RoundTripListLimit, RoundTripStringLimit, c.Session.TableSize);

            for (int b = 0; b < c.Session.Blocks.Length; b++)
            {
                EncodedBlock block = c.Session.Blocks[b];
                ApplyLimit(decoder, block);
                var handler = new RecordingHeaderHandler();
                byte[][] pieces = Pieces(block.Bytes, c.Cuts[b]);

                for (int i = 0; i < pieces.Length; i++)
                {
                    decoder.Decode(pieces[i], endHeaders: i == pieces.Length - 1, handler);
                }

                AssertDecoded(block, decoder, handler, c.Session);
            }
        }));
    }

    [Property(MaxTest = 1000)]
    public Property Decode_ValidBlockMutated_DecodesOrThrowsHPackDecodingException()
    {
        Gen<(EncodedSession Session, int Target, byte[] Mutant, int[] Cuts)> cases =
            from session in Gen.Frequency((3, s_encodedSessions), (1, s_rfcSessions))
            from target in Gen.Choose(0, session.Blocks.Length - 1)
            from mutant in PropertyHarness.HPack.Mutated(session.Blocks[target].Bytes)
            from cuts in PropertyHarness.CutPoints(mutant.Length)
            select (session, target, mutant, cuts);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            var limits = new DecoderLimits(RoundTripListLimit, RoundTripStringLimit, c.Session.TableSize);
            var decoder = new HPackDecoder(limits.ListLimit, limits.StringLimit, limits.TableSize);
            var handler = new LimitCheckingHandler(limits);

            DecodeOrRefuse(() =>
            {
                for (int b = 0; b < c.Session.Blocks.Length; b++)
                {
                    ApplyLimit(decoder, c.Session.Blocks[b]);
                    byte[][] pieces = b == c.Target ? Pieces(c.Mutant, c.Cuts) : [c.Session.Blocks[b].Bytes];
                    for (int i = 0; i < pieces.Length; i++)
                    {
                        decoder.Decode(pieces[i], endHeaders: i == pieces.Length - 1, handler);
                    }

                    handler.EndBlock();
                }
            });
        }));
    }

    [Property(MaxTest = 1000)]
    public Property Decode_ValidBlockCutShort_EmitsAPrefixThenSucceedsOrReportsTruncatedBlock()
    {
        Gen<(EncodedSession Session, int Target, int Length)> cases =
            from session in Gen.OneOf(s_encodedSessions, s_rfcSessions)
            from target in Gen.Choose(0, session.Blocks.Length - 1)
            from length in Gen.Choose(0, Math.Max(0, session.Blocks[target].Bytes.Length - 1))
            select (session, target, length);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            var decoder = new HPackDecoder(RoundTripListLimit, RoundTripStringLimit, c.Session.TableSize);
            for (int b = 0; b < c.Target; b++)
            {
                ApplyLimit(decoder, c.Session.Blocks[b]);
                decoder.Decode(c.Session.Blocks[b].Bytes, endHeaders: true, new RecordingHeaderHandler());
            }

            EncodedBlock block = c.Session.Blocks[c.Target];
            ApplyLimit(decoder, block);
            var handler = new RecordingHeaderHandler();
            HPackError error = HPackError.None;

            try
            {
                decoder.Decode(block.Bytes.AsSpan(0, c.Length), endHeaders: true, handler);
            }
            catch (HPackDecodingException exception)
            {
                error = exception.Error;
            }

            Assert.True(error is HPackError.None or HPackError.TruncatedBlock, $"{error} after {c.Length} of {block.Bytes.Length} octets");
            Assert.True(handler.Headers.Count <= block.Headers.Length, "more fields than the block holds");
            Assert.Equal(block.Headers[..handler.Headers.Count], handler.Headers);
        }));
    }

    [Property(MaxTest = 500)]
    public Property Decode_LimitsExactlyReached_SucceedAndOneOctetLessRefusesTheLargestList()
    {
        return Prop.ForAll(Gen.OneOf(s_encodedSessions, s_rfcSessions).ToArbitrary(), session => PropertyHarness.RunBounded(() =>
        {
            int[] listSizes = [.. session.Blocks.Select(b => b.Headers.Sum(h => h.Name.Length + h.Value.Length + 32))];
            int largestList = listSizes.Max();
            int longestString = Math.Max(1, session.Blocks.SelectMany(b => b.Headers).Select(h => Math.Max(h.Name.Length, h.Value.Length)).DefaultIfEmpty(0).Max());
            var exact = new HPackDecoder(Math.Max(1, largestList), longestString, session.TableSize);
            var tight = new HPackDecoder(Math.Max(1, largestList - 1), longestString, session.TableSize);
            int refusedAt = -1;

            for (int b = 0; b < session.Blocks.Length; b++)
            {
                EncodedBlock block = session.Blocks[b];
                ApplyLimit(exact, block);
                ApplyLimit(tight, block);
                var handler = new RecordingHeaderHandler();

                exact.Decode(block.Bytes, endHeaders: true, handler);
                AssertDecoded(block, exact, handler, session);
                if (refusedAt < 0)
                {
                    try
                    {
                        tight.Decode(block.Bytes, endHeaders: true, new RecordingHeaderHandler());
                    }
                    catch (HPackDecodingException exception) when (exception.Error == HPackError.HeaderListTooLarge)
                    {
                        refusedAt = b;
                    }
                }
            }

            // A literal string is at most as long as the longest field, so only the list limit can bite.
            int expected = largestList > 0 ? Array.IndexOf(listSizes, largestList) : -1;
            Assert.True(expected == refusedAt, $"{session}: refused block {refusedAt}, expected {expected} (lists {string.Join(",", listSizes)})");
        }));
    }

    private static EncodedSession RfcSession(string name)
    {
        int tableSize = HPackRfcExamples.TableSizeOf(name);
        EncodedBlock[] blocks =
        [
            .. HPackRfcExamples.Get(name).Select(b =>
                new EncodedBlock(HPackTestHex.Parse(b.Hex), [], b.Headers, b.Table.Length, b.TableSize, tableSize)),
        ];
        return new EncodedSession(tableSize, blocks, "RFC 7541 " + name);
    }

    private static Gen<BlockSpec> BlockSpecs(Field[] pool) =>
        from limits in Gen.Frequency((6, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)))
            .SelectMany(n => Gen.ArrayOf(Gen.Frequency((1, Gen.Elements(0, 32, 256, 4096, 8192)), (2, Gen.Choose(0, 5000))), n))
        from headers in Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(HeaderSpecs(pool), n))
        select new BlockSpec(limits, headers);

    private static Gen<HeaderSpec> HeaderSpecs(Field[] pool) =>
        from field in Gen.Frequency((2, Gen.Elements(pool)), (1, s_field))
        from indexing in Gen.Elements(HPackIndexing.Incremental, HPackIndexing.WithoutIndexing, HPackIndexing.NeverIndexed)
        from huffman in Gen.Elements(true, false)
        from representation in Gen.Elements(Representation.Best, Representation.NewName, Representation.IndexedName, Representation.Indexed)
        select new HeaderSpec(field, indexing, huffman, representation);

    private static EncodedSession Encode(Session session)
    {
        var encoder = new HPackEncoder(session.TableSize);
        byte[] buffer = new byte[BlockCapacity];
        var blocks = new EncodedBlock[session.Blocks.Length];
        for (int b = 0; b < blocks.Length; b++)
        {
            BlockSpec spec = session.Blocks[b];
            foreach (int limit in spec.NewTableLimits)
            {
                encoder.SetMaxTableSize(limit);
            }

            if (!encoder.TryBeginHeaderBlock(buffer, out int length))
            {
                throw new InvalidOperationException("The block buffer is too small for a size update.");
            }

            foreach (HeaderSpec header in spec.Headers)
            {
                length += EncodeField(encoder, header, buffer.AsSpan(length));
            }

            blocks[b] = new EncodedBlock(
                buffer[..length],
                spec.NewTableLimits,
                [.. spec.Headers.Select(h => (Encoding.Latin1.GetString(h.Field.Name), Encoding.Latin1.GetString(h.Field.Value)))],
                encoder.DynamicTableCount,
                encoder.DynamicTableSize,
                encoder.MaxTableSize);
        }

        return new EncodedSession(session.TableSize, blocks, $"table {session.TableSize}");
    }

    private static int EncodeField(HPackEncoder encoder, HeaderSpec header, Span<byte> destination)
    {
        ReadOnlySpan<byte> name = header.Field.Name;
        ReadOnlySpan<byte> value = header.Field.Value;
        int written;
        bool fitted = header.Representation switch
        {
            Representation.NewName => encoder.TryWriteLiteralNewName(name, value, header.Indexing, header.Huffman, destination, out written),
            Representation.IndexedName when encoder.TryGetNameIndex(name, out int nameIndex) =>
                encoder.TryWriteLiteralIndexedName(nameIndex, value, header.Indexing, header.Huffman, destination, out written),
            Representation.Indexed when encoder.TryGetIndex(name, value, out int index) =>
                encoder.TryWriteIndexed(index, destination, out written),
            _ => encoder.TryEncodeHeader(name, value, header.Indexing, header.Huffman, destination, out written),
        };
        if (!fitted)
        {
            throw new InvalidOperationException("The block buffer is too small for a generated field.");
        }

        return written;
    }

    // Each SETTINGS_HEADER_TABLE_SIZE we advertised between two blocks, in order: the peer's encoder applied the
    // same ones and owes size updates for them (RFC 7541 section 4.2, the smallest first when there were several).
    private static void ApplyLimit(HPackDecoder decoder, EncodedBlock block)
    {
        foreach (int limit in block.NewTableLimits)
        {
            decoder.MaxDynamicTableSizeLimit = limit;
        }
    }

    private static void AssertDecoded(EncodedBlock block, HPackDecoder decoder, RecordingHeaderHandler handler, EncodedSession session)
    {
        Assert.True(block.Headers.SequenceEqual(handler.Headers), $"{session}: block decoded to {handler.Headers.Count} of {block.Headers.Length} fields, or to other ones");
        Assert.Equal(block.TableCount, decoder.DynamicTableCount);
        Assert.Equal(block.TableSize, decoder.DynamicTableSize);
        Assert.Equal(block.TableMaxSize, decoder.DynamicTableMaxSize);
    }

    // Garbage must end in the documented exception with a precise error; any other exception escapes and fails.
    private static void DecodeOrRefuse(Action decode)
    {
        try
        {
            decode();
        }
        catch (HPackDecodingException exception)
        {
            Assert.True(Enum.IsDefined(exception.Error) && exception.Error != HPackError.None, $"error {exception.Error}");
        }
    }

    private static byte[][] Pieces(byte[] data, int[] cuts)
    {
        var pieces = new byte[cuts.Length + 1][];
        int start = 0;
        for (int i = 0; i < cuts.Length; i++)
        {
            pieces[i] = data[start..cuts[i]];
            start = cuts[i];
        }

        pieces[^1] = data[start..];
        return pieces;
    }

    private sealed record Field(byte[] Name, byte[] Value)
    {
        public override string ToString() => $"{Convert.ToHexString(Name)}={Convert.ToHexString(Value)}";
    }

    private sealed record HeaderSpec(Field Field, HPackIndexing Indexing, bool Huffman, Representation Representation);

    private sealed record BlockSpec(int[] NewTableLimits, HeaderSpec[] Headers);

    private sealed record Session(int TableSize, BlockSpec[] Blocks);

    private sealed record EncodedBlock(
        byte[] Bytes, int[] NewTableLimits, (string Name, string Value)[] Headers, int TableCount, int TableSize, int TableMaxSize)
    {
        public override string ToString() =>
            $"{(NewTableLimits.Length > 0 ? $"[limits {string.Join(",", NewTableLimits)}] " : string.Empty)}{Convert.ToHexString(Bytes)}";
    }

    private sealed record EncodedSession(int TableSize, EncodedBlock[] Blocks, string Origin)
    {
        public override string ToString() => $"{Origin}: {string.Join(" | ", Blocks.Select(b => b.ToString()))}";
    }

    private sealed record DecoderLimits(int ListLimit, int StringLimit, int TableSize)
    {
        public static Gen<DecoderLimits> Gen { get; } =
            from list in FsCheck.Fluent.Gen.Elements(1, 64, 4096, RoundTripListLimit)
            from text in FsCheck.Fluent.Gen.Elements(1, 16, 256, RoundTripStringLimit)
            from table in FsCheck.Fluent.Gen.Elements(0, 64, 256, HPackDecoder.DefaultHeaderTableSize)
            select new DecoderLimits(list, text, table);
    }

    // Checks what the decoder documents about its handler: no string literal longer than the string limit (a
    // static table entry may be longer: the limit bounds literals), and no block whose fields add up past the
    // header list limit, ever reaches it.
    private sealed class LimitCheckingHandler(DecoderLimits limits) : IHPackHeaderHandler
    {
        private static readonly int s_longestStaticString = Enumerable.Range(1, HPackStaticTable.Count)
            .Max(i => Math.Max(HPackStaticTable.GetName(i).Length, HPackStaticTable.GetValue(i).Length));

        private long _listSize;

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            Assert.InRange(name.Length, 0, Math.Max(limits.StringLimit, s_longestStaticString));
            Assert.InRange(value.Length, 0, Math.Max(limits.StringLimit, s_longestStaticString));
            _listSize += name.Length + value.Length + 32;
            Assert.InRange(_listSize, 0, limits.ListLimit);
        }

        public void EndBlock() => _listSize = 0;
    }
}
