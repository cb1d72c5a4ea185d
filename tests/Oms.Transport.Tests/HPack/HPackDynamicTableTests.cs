namespace Oms.Transport.Tests.HPack;

public class HPackDynamicTableTests
{
    [Fact]
    public void Add_Entries_NewestIsIndexOneAndSizeCountsOverhead()
    {
        // Arrange
        var table = new HPackDynamicTable(4096);

        // Act
        table.Add("custom-key"u8, "custom-header"u8);
        table.Add(":authority"u8, "www.example.com"u8);

        // Assert
        Assert.Equal(2, table.Count);
        Assert.Equal(55 + 57, table.Size);
        Assert.Equal([(":authority", "www.example.com"), ("custom-key", "custom-header")], Entries(table));
    }

    [Fact]
    public void Add_BeyondMaxSize_EvictsOldestFirst()
    {
        // Arrange: RFC 7541 C.5.2: adding (":status", "307") to a 256-octet table holding 222 evicts (":status", "302").
        var table = new HPackDynamicTable(256);
        table.Add(":status"u8, "302"u8);
        table.Add("cache-control"u8, "private"u8);
        table.Add("date"u8, "Mon, 21 Oct 2013 20:13:21 GMT"u8);
        table.Add("location"u8, "https://www.example.com"u8);

        // Act
        bool added = table.Add(":status"u8, "307"u8);

        // Assert
        Assert.True(added);
        Assert.Equal(222, table.Size);
        Assert.Equal(
            [(":status", "307"), ("location", "https://www.example.com"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("cache-control", "private")],
            Entries(table));
    }

    /// <summary>An entry one byte over the maximum empties the table and is not added; one exactly at it fills it.</summary>
    [Theory]
    [InlineData(29, false, 0, 0)] // 4 + 29 + 32 = 65
    [InlineData(28, true, 1, 64)] // 4 + 28 + 32 = 64
    public void Add_EntryAroundMaxSize_AddedOnlyIfItFits(int valueLength, bool expectedAdded, int expectedCount, int expectedSize)
    {
        var table = new HPackDynamicTable(64);
        table.Add("a"u8, "b"u8);

        bool added = table.Add("name"u8, new byte[valueLength]);

        Assert.Equal(expectedAdded, added);
        Assert.Equal(expectedCount, table.Count);
        Assert.Equal(expectedSize, table.Size);
    }

    [Fact]
    public void SetMaxSize_Smaller_EvictsUntilItFits()
    {
        // Arrange
        var table = new HPackDynamicTable(4096);
        table.Add("a"u8, "1"u8);
        table.Add("b"u8, "2"u8);
        table.Add("c"u8, "3"u8);

        // Act
        table.SetMaxSize(68);
        int afterShrink = table.Count;
        table.SetMaxSize(0);

        // Assert
        Assert.Equal(2, afterShrink);
        Assert.Equal(0, table.Count);
        Assert.Equal(0, table.Size);
        Assert.Equal(0, table.MaxSize);
    }

    [Fact]
    public void SetMaxSize_AboveCapacity_GrowsAndKeepsEntries()
    {
        // Arrange
        var table = new HPackDynamicTable(100);
        table.Add("a"u8, "1"u8);
        table.Add("b"u8, "2"u8);

        // Act
        table.SetMaxSize(10_000);
        for (int i = 0; i < 200; i++)
        {
            table.Add("k"u8, Encoding.ASCII.GetBytes(i.ToString("D3", null)));
        }

        // Assert
        Assert.Equal(10_000, table.MaxSize);
        Assert.True(table.Capacity >= 10_000);
        Assert.Equal(202, table.Count);
        Assert.Equal(("b", "2"), Entries(table)[^2]);
        Assert.Equal(("k", "199"), Entries(table)[0]);
    }

    [Fact]
    public void Add_NameFromEntryItEvicts_KeepsTheName()
    {
        // Arrange: RFC 7541 section 4.4: a new entry may name an entry that its own insertion evicts.
        var table = new HPackDynamicTable(100);
        table.Add("evicted-name"u8, "value-one"u8); // 12 + 9 + 32 = 53

        // Act
        bool added = table.Add(table.GetName(1), "a-longer-value"u8); // 12 + 14 + 32 = 58; 53 + 58 > 100

        // Assert
        Assert.True(added);
        Assert.Equal([("evicted-name", "a-longer-value")], Entries(table));
    }

    [Fact]
    public void Add_NameAndValueFromOwnEntriesAcrossCompaction_KeepsBoth()
    {
        // Arrange: fill until the next insert has to move the live octets back to the buffer's start.
        var table = new HPackDynamicTable(128);
        var model = new List<(string Name, string Value)>();
        var random = new Random(1);
        for (int i = 0; i < 500; i++)
        {
            // Act
            int source = random.Next(1, table.Count + 1);
            bool fromTable = table.Count > 0 && random.Next(2) == 0;
            string name;
            string value;
            if (fromTable)
            {
                name = Encoding.ASCII.GetString(table.GetName(source));
                value = Encoding.ASCII.GetString(table.GetValue(source));
                table.Add(table.GetName(source), table.GetValue(source));
            }
            else
            {
                name = "n" + random.Next(0, 1000).ToString(null, null);
                value = new string('v', random.Next(0, 60));
                table.Add(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));
            }

            ModelAdd(model, 128, name, value);

            // Assert
            Assert.Equal(model, Entries(table));
            Assert.Equal(model.Sum(e => e.Name.Length + e.Value.Length + 32), table.Size);
        }
    }

    [Fact]
    public void RandomOperations_MatchListModel()
    {
        // Arrange
        var random = new Random(42);
        var table = new HPackDynamicTable(512);
        var model = new List<(string Name, string Value)>();
        int maxSize = 512;

        for (int step = 0; step < 5000; step++)
        {
            // Act
            int operation = random.Next(100);
            if (operation < 3)
            {
                maxSize = random.Next(0, 513);
                table.SetMaxSize(maxSize);
                ModelEvict(model, maxSize, 0);
            }
            else
            {
                string name = new('n', random.Next(0, 40));
                string value = new('v', random.Next(0, operation < 6 ? 600 : 120));
                table.Add(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));
                ModelAdd(model, maxSize, name, value);
            }

            // Assert
            Assert.Equal(model, Entries(table));
        }
    }

    [Fact]
    public void Find_DuplicateFields_ReturnsNewestMatches()
    {
        // Arrange
        var table = new HPackDynamicTable(4096);
        table.Add("x"u8, "1"u8);
        table.Add("y"u8, "2"u8);
        table.Add("x"u8, "3"u8);
        table.Add("x"u8, "1"u8);

        // Act
        int full = table.Find("x"u8, "1"u8, out int nameIndex);
        int none = table.Find("x"u8, "9"u8, out int nameOnly);
        int missing = table.Find("z"u8, "1"u8, out int noName);

        // Assert
        Assert.Equal(1, full);
        Assert.Equal(1, nameIndex);
        Assert.Equal(0, none);
        Assert.Equal(1, nameOnly);
        Assert.Equal(0, missing);
        Assert.Equal(0, noName);
    }

    [Fact]
    public void GetName_IndexOutsideTable_Throws()
    {
        // Arrange
        var table = new HPackDynamicTable(4096);
        table.Add("x"u8, "1"u8);

        // Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => table.GetName(0).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.GetName(2).Length);
    }

    internal static List<(string Name, string Value)> Entries(HPackDynamicTable table)
    {
        var entries = new List<(string, string)>();
        for (int index = 1; index <= table.Count; index++)
        {
            entries.Add((Encoding.Latin1.GetString(table.GetName(index)), Encoding.Latin1.GetString(table.GetValue(index))));
        }

        return entries;
    }

    private static void ModelAdd(List<(string Name, string Value)> model, int maxSize, string name, string value)
    {
        int size = name.Length + value.Length + 32;
        if (size > maxSize)
        {
            model.Clear();
            return;
        }

        ModelEvict(model, maxSize, size);
        model.Insert(0, (name, value));
    }

    private static void ModelEvict(List<(string Name, string Value)> model, int maxSize, int room)
    {
        while (model.Sum(e => e.Name.Length + e.Value.Length + 32) + room > maxSize)
        {
            model.RemoveAt(model.Count - 1);
        }
    }
}
