namespace Oms.Transport.Tests.HPack;

public class HPackDecoderTests
{
    private const int ListLimit = 16 * 1024;

    public static TheoryData<string> RfcSequences => ["C.2.1", "C.2.2", "C.2.3", "C.2.4", "C.3", "C.4", "C.5", "C.6"];

    [Theory]
    [MemberData(nameof(RfcSequences))]
    public void Decode_RfcSequenceWhole_EmitsHeadersAndBuildsRfcTables(string sequence)
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit, 1024, HPackRfcExamples.TableSizeOf(sequence));

        foreach (HPackRfcBlock block in HPackRfcExamples.Get(sequence))
        {
            var handler = new RecordingHeaderHandler();

            // Act
            decoder.Decode(HPackTestHex.Parse(block.Hex), endHeaders: true, handler);

            // Assert
            Assert.Equal(block.Headers, handler.Headers);
            Assert.Equal(block.Table, HPackDynamicTableTests.Entries(decoder.DynamicTable));
            Assert.Equal(block.TableSize, decoder.DynamicTableSize);
            Assert.Equal(block.Table.Length, decoder.DynamicTableCount);
        }
    }

    [Theory]
    [MemberData(nameof(RfcSequences))]
    public void Decode_RfcSequenceByteAtATime_EmitsHeadersAndBuildsRfcTables(string sequence)
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit, 1024, HPackRfcExamples.TableSizeOf(sequence));

        foreach (HPackRfcBlock block in HPackRfcExamples.Get(sequence))
        {
            var handler = new RecordingHeaderHandler();
            byte[] bytes = HPackTestHex.Parse(block.Hex);

            // Act
            for (int i = 0; i < bytes.Length; i++)
            {
                decoder.Decode(bytes.AsSpan(i, 1), endHeaders: false, handler);
            }

            decoder.Decode([], endHeaders: true, handler);

            // Assert
            Assert.Equal(block.Headers, handler.Headers);
            Assert.Equal(block.Table, HPackDynamicTableTests.Entries(decoder.DynamicTable));
            Assert.Equal(block.TableSize, decoder.DynamicTableSize);
        }
    }

    [Theory]
    [MemberData(nameof(RfcSequences))]
    public void Decode_RfcSequenceSplitAtEveryOffset_EmitsHeadersAndBuildsRfcTables(string sequence)
    {
        // Arrange
        HPackRfcBlock[] blocks = HPackRfcExamples.Get(sequence);
        for (int target = 0; target < blocks.Length; target++)
        {
            byte[] bytes = HPackTestHex.Parse(blocks[target].Hex);
            for (int split = 0; split <= bytes.Length; split++)
            {
                var decoder = new HPackDecoder(ListLimit, 1024, HPackRfcExamples.TableSizeOf(sequence));
                for (int earlier = 0; earlier < target; earlier++)
                {
                    decoder.Decode(HPackTestHex.Parse(blocks[earlier].Hex), endHeaders: true, new RecordingHeaderHandler());
                }

                var handler = new RecordingHeaderHandler();

                // Act
                decoder.Decode(bytes.AsSpan(0, split), endHeaders: false, handler);
                decoder.Decode(bytes.AsSpan(split), endHeaders: true, handler);

                // Assert
                Assert.Equal(blocks[target].Headers, handler.Headers);
                Assert.Equal(blocks[target].Table, HPackDynamicTableTests.Entries(decoder.DynamicTable));
            }
        }
    }

    [Fact]
    public void Decode_GenericStructHandler_SeesSameFieldsAsInterfaceHandler()
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit);
        var handler = new CountingHeaderHandler();

        // Act
        foreach (HPackRfcBlock block in HPackRfcExamples.C4)
        {
            decoder.Decode(HPackTestHex.Parse(block.Hex), endHeaders: true, ref handler);
        }

        // Assert
        int fields = HPackRfcExamples.C4.Sum(b => b.Headers.Length);
        long octets = HPackRfcExamples.C4.Sum(b => b.Headers.Sum(h => (long)h.Name.Length + h.Value.Length));
        Assert.Equal(fields, handler.Count);
        Assert.Equal(octets, handler.Octets);
    }

    // Each block must fail with exactly this error after emitting exactly the fields before the bad one.
    // The decoder has a 16-octet string limit and the default 4096-octet table.
    [Theory]
    [InlineData("80", HPackError.IndexZero, 0)]
    [InlineData("8280", HPackError.IndexZero, 1)]
    [InlineData("be", HPackError.IndexOutOfRange, 0)] // index 62, empty dynamic table
    [InlineData("ff00", HPackError.IndexOutOfRange, 0)] // index 127 through a continuation octet
    [InlineData("7e03616263", HPackError.IndexOutOfRange, 0)] // incremental literal naming index 62
    [InlineData("0f3003616263", HPackError.IndexOutOfRange, 0)] // literal without indexing naming index 63
    [InlineData("1f3003616263", HPackError.IndexOutOfRange, 0)] // never-indexed literal naming index 63
    [InlineData("82ffffffffff0f", HPackError.IntegerOverflow, 1)] // index above int.MaxValue
    [InlineData("ff808080808000", HPackError.IntegerOverflow, 0)] // six continuation octets
    [InlineData("047fffffffff0f", HPackError.IntegerOverflow, 0)] // string length above int.MaxValue
    [InlineData("3fffffffff0f", HPackError.IntegerOverflow, 0)] // size update above int.MaxValue
    [InlineData("04821fff", HPackError.HuffmanPaddingTooLong, 0)] // value 'a' + 11 one-bits
    [InlineData("00821fff0161", HPackError.HuffmanPaddingTooLong, 0)] // same, in a literal name
    [InlineData("048118", HPackError.HuffmanInvalidPadding, 0)] // value 'a' + 000
    [InlineData("0484ffffffff", HPackError.HuffmanEos, 0)] // value is EOS
    [InlineData("04116161616161616161616161616161616161", HPackError.StringTooLong, 0)] // 17 raw octets
    [InlineData("048d0000000000000000000000000f", HPackError.StringTooLong, 0)] // 13 octets decoding to 20 '0's
    [InlineData("0011616161616161616161616161616161616100", HPackError.StringTooLong, 0)] // 17-octet name
    [InlineData("8220", HPackError.SizeUpdateNotAtBlockStart, 1)]
    [InlineData("824001610161 20", HPackError.SizeUpdateNotAtBlockStart, 2)]
    [InlineData("3fe21f", HPackError.SizeUpdateTooLarge, 0)] // 4097
    [InlineData("8204", HPackError.TruncatedBlock, 1)] // literal without its value length
    [InlineData("ff", HPackError.TruncatedBlock, 0)] // index waiting for a continuation octet
    [InlineData("3f", HPackError.TruncatedBlock, 0)] // size update waiting for a continuation octet
    [InlineData("00", HPackError.TruncatedBlock, 0)] // literal waiting for its name length
    [InlineData("000361", HPackError.TruncatedBlock, 0)] // name cut short
    [InlineData("4003616263", HPackError.TruncatedBlock, 0)] // name complete, value length missing
    [InlineData("048361", HPackError.TruncatedBlock, 0)] // value cut short
    [InlineData("04836402", HPackError.TruncatedBlock, 0)] // Huffman value cut short
    [InlineData("04ff", HPackError.TruncatedBlock, 0)] // value length waiting for a continuation octet
    internal void Decode_MalformedBlock_ThrowsPreciseErrorAndEmitsOnlyEarlierFields(string hex, HPackError expected, int emitted)
    {
        // Arrange
        byte[] bytes = HPackTestHex.Parse(hex);

        // Act / Assert: whole, then one octet per call.
        var whole = new RecordingHeaderHandler();
        var wholeException = Assert.Throws<HPackDecodingException>(
            () => new HPackDecoder(ListLimit, 16).Decode(bytes, endHeaders: true, whole));
        Assert.Equal(expected, wholeException.Error);
        Assert.Equal(emitted, whole.Headers.Count);

        var split = new RecordingHeaderHandler();
        var splitException = Assert.Throws<HPackDecodingException>(() =>
        {
            var decoder = new HPackDecoder(ListLimit, 16);
            for (int i = 0; i < bytes.Length; i++)
            {
                decoder.Decode(bytes.AsSpan(i, 1), endHeaders: false, split);
            }

            decoder.Decode([], endHeaders: true, split);
        });
        Assert.Equal(expected, splitException.Error);
        Assert.Equal(emitted, split.Headers.Count);
    }

    [Fact]
    public void Decode_IncompletePieceWithoutEndHeaders_DoesNotThrow()
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit);
        var handler = new RecordingHeaderHandler();

        // Act
        decoder.Decode(HPackTestHex.Parse("8204"), endHeaders: false, handler);
        decoder.Decode(HPackTestHex.Parse("0361"), endHeaders: false, handler);
        decoder.Decode(HPackTestHex.Parse("6263"), endHeaders: true, handler);

        // Assert
        Assert.Equal([(":method", "GET"), (":path", "abc")], handler.Headers);
    }

    [Fact]
    public void Decode_HeaderListOverLimit_ThrowsAndEmitsOnlyEarlierFields()
    {
        // Arrange: (":method", "GET") costs 42 and (":scheme", "http") 43: 85 in all.
        var decoder = new HPackDecoder(maxHeaderListSize: 84, maxStringLength: 64);
        var handler = new RecordingHeaderHandler();

        // Act
        var exception = Assert.Throws<HPackDecodingException>(
            () => decoder.Decode(HPackTestHex.Parse("8286"), endHeaders: true, handler));

        // Assert
        Assert.Equal(HPackError.HeaderListTooLarge, exception.Error);
        Assert.Equal([(":method", "GET")], handler.Headers);
    }

    [Fact]
    public void Decode_HeaderListOverLimitOnLiteral_ThrowsBeforeIndexing()
    {
        // Arrange: (":path", "abc") costs 40; the literal would be added to the table if it got through.
        var decoder = new HPackDecoder(maxHeaderListSize: 81, maxStringLength: 64);
        var handler = new RecordingHeaderHandler();

        // Act
        var exception = Assert.Throws<HPackDecodingException>(
            () => decoder.Decode(HPackTestHex.Parse("8244036162 63"), endHeaders: true, handler));

        // Assert
        Assert.Equal(HPackError.HeaderListTooLarge, exception.Error);
        Assert.Single(handler.Headers);
        Assert.Equal(0, decoder.DynamicTableCount);
    }

    [Fact]
    public void Decode_HeaderListExactlyAtLimit_SucceedsAndLimitIsPerBlock()
    {
        // Arrange
        var decoder = new HPackDecoder(maxHeaderListSize: 85, maxStringLength: 64);
        var handler = new RecordingHeaderHandler();

        // Act
        decoder.Decode(HPackTestHex.Parse("8286"), endHeaders: true, handler);
        decoder.Decode(HPackTestHex.Parse("8286"), endHeaders: true, handler);

        // Assert
        Assert.Equal(4, handler.Headers.Count);
    }

    [Fact]
    public void Decode_SizeUpdateAtBlockStart_EvictsAndAppliesNewSize()
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit);
        foreach (HPackRfcBlock block in HPackRfcExamples.C3)
        {
            decoder.Decode(HPackTestHex.Parse(block.Hex), endHeaders: true, new RecordingHeaderHandler());
        }

        var handler = new RecordingHeaderHandler();

        // Act
        decoder.Decode(HPackTestHex.Parse("20 82"), endHeaders: true, handler);
        int sizeAfterZero = decoder.DynamicTableMaxSize;
        int countAfterZero = decoder.DynamicTableCount;
        decoder.Decode(HPackTestHex.Parse("3fe11f 4003616263 0178"), endHeaders: true, handler);

        // Assert
        Assert.Equal(0, sizeAfterZero);
        Assert.Equal(0, countAfterZero);
        Assert.Equal(4096, decoder.DynamicTableMaxSize);
        Assert.Equal(1, decoder.DynamicTableCount);
        Assert.Equal([(":method", "GET"), ("abc", "x")], handler.Headers);
    }

    [Fact]
    public void Decode_TwoSizeUpdatesAtBlockStart_BothApplied()
    {
        // Arrange: RFC 7541 section 4.2: the smallest size, then the final one.
        var decoder = new HPackDecoder(ListLimit);
        decoder.Decode(HPackTestHex.Parse("4003616263 0178"), endHeaders: true, new RecordingHeaderHandler());

        // Act
        decoder.Decode(HPackTestHex.Parse("20 3f e1 1f 82"), endHeaders: true, new RecordingHeaderHandler());

        // Assert
        Assert.Equal(4096, decoder.DynamicTableMaxSize);
        Assert.Equal(0, decoder.DynamicTableCount);
    }

    [Fact]
    public void Decode_SizeUpdateInLaterPieceBeforeAnyField_Accepted()
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit);
        var handler = new RecordingHeaderHandler();

        // Act
        decoder.Decode([], endHeaders: false, handler);
        decoder.Decode(HPackTestHex.Parse("3f"), endHeaders: false, handler);
        decoder.Decode(HPackTestHex.Parse("45"), endHeaders: false, handler);
        decoder.Decode(HPackTestHex.Parse("82"), endHeaders: true, handler);

        // Assert
        Assert.Equal(100, decoder.DynamicTableMaxSize);
        Assert.Single(handler.Headers);
    }

    [Fact]
    public void Decode_LimitLoweredAndNoSizeUpdate_ThrowsSizeUpdateMissing()
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit) { MaxDynamicTableSizeLimit = 100 };
        var handler = new RecordingHeaderHandler();

        // Act
        var exception = Assert.Throws<HPackDecodingException>(
            () => decoder.Decode(HPackTestHex.Parse("82"), endHeaders: true, handler));

        // Assert
        Assert.Equal(HPackError.SizeUpdateMissing, exception.Error);
        Assert.Empty(handler.Headers);
    }

    [Fact]
    public void Decode_LimitLoweredAndSizeUpdateWithinIt_Accepted()
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit) { MaxDynamicTableSizeLimit = 100 };
        var handler = new RecordingHeaderHandler();

        // Act
        decoder.Decode(HPackTestHex.Parse("3f45 82"), endHeaders: true, handler);
        decoder.Decode(HPackTestHex.Parse("86"), endHeaders: true, handler);

        // Assert
        Assert.Equal(100, decoder.DynamicTableMaxSize);
        Assert.Equal(2, handler.Headers.Count);
    }

    [Fact]
    public void Decode_LimitLoweredAndSizeUpdateAboveIt_ThrowsSizeUpdateTooLarge()
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit) { MaxDynamicTableSizeLimit = 100 };

        // Act
        var exception = Assert.Throws<HPackDecodingException>(
            () => decoder.Decode(HPackTestHex.Parse("3f46 82"), endHeaders: true, new RecordingHeaderHandler()));

        // Assert
        Assert.Equal(HPackError.SizeUpdateTooLarge, exception.Error);
    }

    [Fact]
    public void Decode_LimitRaised_EncoderMayGrowTableBeyondInitialSize()
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit) { MaxDynamicTableSizeLimit = 8192 };
        var handler = new RecordingHeaderHandler();
        var block = new List<byte>(HPackTestHex.Parse("3fe13f")); // 8192
        for (int i = 0; i < 60; i++)
        {
            // Literal with incremental indexing, new name "k", 100-octet value: 133 each, 7980 for 60.
            block.AddRange([0x40, 0x01, (byte)'k', 100]);
            block.AddRange(Enumerable.Repeat((byte)('A' + (i % 26)), 100));
        }

        // Act
        decoder.Decode(block.ToArray(), endHeaders: true, handler);
        decoder.Decode(HPackTestHex.Parse("f9"), endHeaders: true, handler); // index 121 = 61 + 60, the oldest

        // Assert
        Assert.Equal(8192, decoder.DynamicTableMaxSize);
        Assert.Equal(60, decoder.DynamicTableCount);
        Assert.Equal(7980, decoder.DynamicTableSize);
        Assert.Equal(("k", new string('A', 100)), handler.Headers[^1]);
    }

    [Fact]
    public void Decode_EmptyNameAndValue_EmittedAndIndexed()
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit);
        var handler = new RecordingHeaderHandler();

        // Act
        decoder.Decode(HPackTestHex.Parse("400000 be"), endHeaders: true, handler);

        // Assert
        Assert.Equal([("", ""), ("", "")], handler.Headers);
        Assert.Equal(32, decoder.DynamicTableSize);
    }

    [Fact]
    public void Decode_IndexedNameFromEntryTheInsertEvicts_KeepsTheName()
    {
        // Arrange: RFC 7541 section 4.4; a 100-octet table holding ("evicted-name", "value-one"), 53 octets.
        var decoder = new HPackDecoder(ListLimit, 256, initialHeaderTableSize: 100);
        decoder.Decode(
            [0x40, 12, .. "evicted-name"u8, 9, .. "value-one"u8], endHeaders: true, new RecordingHeaderHandler());
        var handler = new RecordingHeaderHandler();

        // Act: incremental literal naming index 62, with a value that forces the eviction of entry 62.
        decoder.Decode([0x7E, 14, .. "a-longer-value"u8], endHeaders: true, handler);

        // Assert
        Assert.Equal([("evicted-name", "a-longer-value")], handler.Headers);
        Assert.Equal([("evicted-name", "a-longer-value")], HPackDynamicTableTests.Entries(decoder.DynamicTable));
    }

    [Fact]
    public void Reset_AfterErrorMidBlock_DecodesFreshConnection()
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit) { MaxDynamicTableSizeLimit = 8192 };
        decoder.Decode(HPackTestHex.Parse(HPackRfcExamples.C3[0].Hex), endHeaders: true, new RecordingHeaderHandler());
        Assert.Throws<HPackDecodingException>(
            () => decoder.Decode(HPackTestHex.Parse("0483 6402 80"), endHeaders: false, new RecordingHeaderHandler()));

        // Act
        decoder.Reset();
        var handler = new RecordingHeaderHandler();
        decoder.Decode(HPackTestHex.Parse(HPackRfcExamples.C3[0].Hex), endHeaders: true, handler);

        // Assert
        Assert.Equal(HPackRfcExamples.C3[0].Headers, handler.Headers);
        Assert.Equal(57, decoder.DynamicTableSize);
        Assert.Equal(4096, decoder.MaxDynamicTableSizeLimit);
        Assert.Equal(4096, decoder.DynamicTableMaxSize);
    }

    [Fact]
    public void Decode_NullInterfaceHandler_Throws()
    {
        // Arrange
        var decoder = new HPackDecoder(ListLimit);

        // Act / Assert
        Assert.Throws<ArgumentNullException>(() => decoder.Decode([0x82], endHeaders: true, null!));
    }

    [Fact]
    public void Decode_TypicalResponseRepeatedly_AllocatesNothing()
    {
        // Arrange: :status 200 (indexed), then content-type, content-length and date as incremental literals
        // with indexed names; raw, then Huffman-coded (the C.6 block), then split mid-string.
        byte[] plain =
        [
            0x88,
            0x5F, 16, .. "application/json"u8,
            0x5C, 3, .. "123"u8,
            0x61, 29, .. "Mon, 21 Oct 2013 20:13:21 GMT"u8,
        ];
        byte[] huffman = HPackTestHex.Parse(HPackRfcExamples.C6[0].Hex);
        var decoder = new HPackDecoder(ListLimit);
        var handler = new CountingHeaderHandler();
        IHPackHeaderHandler boxed = new CountingHeaderHandlerClass();

        void DecodeAll()
        {
            decoder.Decode(plain, endHeaders: true, ref handler);
            decoder.Decode(huffman, endHeaders: true, boxed);
            decoder.Decode(plain.AsSpan(0, 10), endHeaders: false, ref handler);
            decoder.Decode(plain.AsSpan(10), endHeaders: true, ref handler);
            decoder.Decode(huffman.AsSpan(0, 20), endHeaders: false, ref handler);
            decoder.Decode(huffman.AsSpan(20), endHeaders: true, ref handler);
        }

        for (int i = 0; i < 200; i++)
        {
            DecodeAll();
        }

        // Act
        long allocated = AllocationMeter.AllocatedBytes(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                DecodeAll();
            }
        });

        // Assert
        Assert.Equal(0, allocated);
        Assert.Equal(2200 * 12, handler.Count);
    }

    [Fact]
    public void Constructor_InvalidLimits_Throw()
    {
        // Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => new HPackDecoder(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HPackDecoder(100, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HPackDecoder(100, 10, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HPackDecoder(100) { MaxDynamicTableSizeLimit = -1 });
    }

    private sealed class CountingHeaderHandlerClass : IHPackHeaderHandler
    {
        public int Count { get; private set; }

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Count++;
    }
}
