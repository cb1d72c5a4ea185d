namespace Oms.Engine.Tests.Venues.AscendEx;

public sealed class VenueErrorCodesTests
{
    [Theory]
    [InlineData(0L, VenueErrorClass.Acked)]
    [InlineData(300006L, VenueErrorClass.Rejected)]
    [InlineData(100001L, VenueErrorClass.Rejected)]
    [InlineData(100004L, VenueErrorClass.Rejected)]
    [InlineData(100008L, VenueErrorClass.Rejected)]
    [InlineData(100011L, VenueErrorClass.ReSign)]
    [InlineData(150001L, VenueErrorClass.Rejected)]
    [InlineData(200001L, VenueErrorClass.AuthenticationFailed)]
    [InlineData(200015L, VenueErrorClass.PermissionDenied)]
    [InlineData(510001L, VenueErrorClass.RetryWithBackoff)]
    [InlineData(100014L, VenueErrorClass.RetryWithBackoff)]
    internal void Classify_CodeFromFactsTable_FollowsWhatTheEngineDoes(long code, VenueErrorClass expected)
    {
        VenueErrorClass actual = VenueErrorCodes.Classify(code);
        bool listed = VenueErrorCodes.TryClassify(code, out VenueErrorClass tried);

        Assert.Equal(expected, actual);
        Assert.True(listed);
        Assert.Equal(expected, tried);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(-1L)]
    [InlineData(999999L)]
    [InlineData(300007L)]
    public void Classify_UnlistedCode_IsRejectedAndNotListed(long code)
    {
        bool listed = VenueErrorCodes.TryClassify(code, out VenueErrorClass tried);

        Assert.Equal(VenueErrorClass.Rejected, VenueErrorCodes.Classify(code));
        Assert.False(listed);
        Assert.Equal(VenueErrorClass.Undetermined, tried);
    }

    [Theory]
    [InlineData(VenueReason.InvalidOrderId, 300006L, "INVALID_ORDER_ID")]
    [InlineData(VenueReason.InvalidHttpInput, 100001L, "INVALID_HTTP_INPUT")]
    [InlineData(VenueReason.InvalidRequestData, 100004L, "INVALID_REQUEST_DATA")]
    [InlineData(VenueReason.SymbolError, 100008L, "SYMBOL_ERROR")]
    [InlineData(VenueReason.InvalidTimestamp, 100011L, "INVALID_TIMESTAMP")]
    [InlineData(VenueReason.InvalidJsonFormat, 150001L, "INVALID_JSON_FORMAT")]
    [InlineData(VenueReason.AuthenticationFailed, 200001L, "AUTHENTICATION_FAILED")]
    [InlineData(VenueReason.PermissionDenied, 200015L, "PERMISSION_DENIED")]
    [InlineData(VenueReason.ServerError, 510001L, "SERVER_ERROR")]
    public void Table_ReasonCodeAndText_RoundTrip(VenueReason reason, long code, string text)
    {
        Assert.Equal(code, VenueErrorCodes.CodeOf(reason));
        Assert.Equal(reason, VenueErrorCodes.ReasonOf(code));
        Assert.Equal(text, VenueErrorCodes.ReasonText(reason));
        Assert.Equal(reason, VenueErrorCodes.ReasonFromText(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(VenueErrorCodes.Classify(code), VenueErrorCodes.Classify(reason));
    }

    [Fact]
    public void TooManyRequests_HasCodeButNoDocumentedText()
    {
        Assert.Equal(100014L, VenueErrorCodes.CodeOf(VenueReason.TooManyRequests));
        Assert.Equal(VenueReason.TooManyRequests, VenueErrorCodes.ReasonOf(100014));
        Assert.Null(VenueErrorCodes.ReasonText(VenueReason.TooManyRequests));
        Assert.Equal(VenueErrorClass.RetryWithBackoff, VenueErrorCodes.Classify(VenueReason.TooManyRequests));
    }

    [Theory]
    [InlineData("")]
    [InlineData("invalid_order_id")]
    [InlineData("INVALID_ORDER_ID ")]
    [InlineData("SOMETHING_NEW")]
    public void ReasonFromText_UnknownText_IsOther(string text)
    {
        Assert.Equal(VenueReason.Other, VenueErrorCodes.ReasonFromText(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void ReasonOf_Success_IsNoneAndUnknownIsOther()
    {
        Assert.Equal(VenueReason.None, VenueErrorCodes.ReasonOf(0));
        Assert.Equal(VenueReason.Other, VenueErrorCodes.ReasonOf(424242));
    }

    [Theory]
    [InlineData(VenueReason.None)]
    [InlineData(VenueReason.Other)]
    public void CodeOf_ReasonWithoutCode_Throws(VenueReason reason)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VenueErrorCodes.CodeOf(reason));
    }

    [Theory]
    [InlineData(VenueReason.None)]
    [InlineData(VenueReason.Other)]
    public void Classify_ReasonWithoutCode_IsRejected(VenueReason reason)
    {
        Assert.Equal(VenueErrorClass.Rejected, VenueErrorCodes.Classify(reason));
    }
}
