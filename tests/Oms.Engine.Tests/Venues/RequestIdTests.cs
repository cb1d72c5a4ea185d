using System.Text;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Engine.Tests.Venues;

public sealed class RequestIdTests
{
    [Fact]
    public void Reset_ThenFilled_SpanIsWhatTheGeneratorWrote()
    {
        var generator = new RequestIdGenerator("abcdefghijklmnopqrstu"u8);
        var id = default(RequestId);

        generator.TryWriteNext(id.Reset(RequestIdGenerator.Length), out var sequence);

        Assert.Equal(0, sequence);
        Assert.Equal(RequestIdGenerator.Length, id.Length);
        Assert.StartsWith("abcdefghijklmnopqrstu", Encoding.ASCII.GetString(id.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_Shorter_SpanShrinks()
    {
        var id = default(RequestId);
        "0123456789"u8.CopyTo(id.Reset(10));

        id.Reset(4);

        Assert.Equal("0123", Encoding.ASCII.GetString(id.Span));
    }

    [Fact]
    public void Reset_LongerThanMax_Throws()
    {
        var id = default(RequestId);

        Assert.Throws<ArgumentOutOfRangeException>(() => id.Reset(RequestId.MaxLength + 1));
    }

    [Fact]
    public void MaxLength_IsTheOneDeclaration_GeneratorWriterAndAnswerUseIt()
    {
        Assert.Equal(RequestId.MaxLength, RequestIdGenerator.Length);
        Assert.Equal(RequestId.MaxLength, CancelRequestWriter.MaxRequestIdLength);
        Assert.Equal(RequestId.MaxLength, CancelResponse.MaxEchoedIdLength);
    }
}
