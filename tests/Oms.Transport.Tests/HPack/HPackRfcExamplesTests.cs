namespace Oms.Transport.Tests.HPack;

public class HPackRfcExamplesTests
{
    [Theory]
    [InlineData("C.2.1")]
    [InlineData("C.2.2")]
    [InlineData("C.2.3")]
    [InlineData("C.2.4")]
    [InlineData("C.3")]
    [InlineData("C.4")]
    [InlineData("C.5")]
    [InlineData("C.6")]
    public void Get_EachBlock_TableSizeIsSumOfEntrySizes(string name)
    {
        // Arrange
        HPackRfcBlock[] blocks = HPackRfcExamples.Get(name);

        // Act / Assert
        foreach (HPackRfcBlock block in blocks)
        {
            int sum = block.Table.Sum(entry => entry.Name.Length + entry.Value.Length + 32);
            Assert.Equal(block.TableSize, sum);
            Assert.True(sum <= HPackRfcExamples.TableSizeOf(name));
        }
    }

    [Fact]
    public void Get_PlainAndHuffmanSequences_ShareHeaderLists()
    {
        // Act / Assert
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HPackRfcExamples.C3[i].Headers, HPackRfcExamples.C4[i].Headers);
            Assert.Equal(HPackRfcExamples.C5[i].Headers, HPackRfcExamples.C6[i].Headers);
        }
    }
}
