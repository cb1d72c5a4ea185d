using System.Text;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Engine.Tests;

/// <summary>The inline storage of the engine's ids, as the request id uses it.</summary>
public sealed class InlineAsciiTests
{
    [Fact]
    public void Reset_ThenFilled_SpanIsWhatTheGeneratorWrote()
    {
        var generator = new RequestIdGenerator("abcdefghijklmnopqrstu"u8);
        var id = default(InlineAscii);

        generator.TryWriteNext(id.Reset(RequestIdGenerator.Length), out var sequence);

        Assert.Equal(0, sequence);
        Assert.Equal(RequestIdGenerator.Length, id.Length);
        Assert.StartsWith("abcdefghijklmnopqrstu", Encoding.ASCII.GetString(id.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_Shorter_SpanShrinks()
    {
        var id = default(InlineAscii);
        "0123456789"u8.CopyTo(id.Reset(10));

        id.Reset(4);

        Assert.Equal("0123", Encoding.ASCII.GetString(id.Span));
    }

    [Fact]
    public void Reset_LongerThanMax_Throws()
    {
        var id = default(InlineAscii);

        Assert.Throws<ArgumentOutOfRangeException>(() => id.Reset(InlineAscii.Capacity + 1));
    }

    [Fact]
    public void Capacity_IsTheOneDeclaration_GeneratorWriterAnswerAndOrderIdUseIt()
    {
        Assert.Equal(InlineAscii.Capacity, RequestIdGenerator.Length);
        Assert.Equal(InlineAscii.Capacity, CancelRequestWriter.MaxRequestIdLength);
        Assert.Equal(InlineAscii.Capacity, CancelResponse.MaxEchoedIdLength);
        Assert.Equal(InlineAscii.Capacity, OrderId.MaxLength);
    }
}
