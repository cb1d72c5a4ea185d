using Oms.Venue.Handling;

namespace Oms.Venue.Tests.Handling;

public sealed class CancelRequestBodyTests
{
    private const long Now = 1_700_000_000_000;
    private const string Id = "sPWweX8baCYeFsKdmqZEmHdpliWaJuGm";
    private const string OrderId = "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts";

    private static CancelRequestBody Read(string json, bool v2 = false) =>
        CancelRequestBody.Read(Encoding.UTF8.GetBytes(json), v2 ? VenueApiProfile.V2 : VenueApiProfile.V1, Now);

    [Fact]
    public void Read_ContractExample_PassesWithEveryField()
    {
        var body = Read($$"""{"id":"{{Id}}","orderId":"{{OrderId}}","symbol":"BTC-PERP","time":{{Now}}}""");

        Assert.Null(body.Failure);
        Assert.Equal(Id, body.Id);
        Assert.Equal(OrderId, body.OrderId);
        Assert.Equal("BTC-PERP", body.Symbol);
        Assert.Equal(Now, body.Time);
    }

    [Theory]
    [InlineData("", VenueCheck.InvalidJson)]
    [InlineData("[]", VenueCheck.InvalidJson)]
    [InlineData("{\"id\":", VenueCheck.InvalidJson)]
    [InlineData("{} {}", VenueCheck.InvalidJson)]
    [InlineData("<html></html>", VenueCheck.InvalidJson)]
    [InlineData("{\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000}", VenueCheck.InvalidFields)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000}", VenueCheck.InvalidFields)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"time\":1700000000000}", VenueCheck.InvalidFields)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\"}", VenueCheck.InvalidFields)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":\"1700000000000\"}", VenueCheck.InvalidFields)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000,\"extra\":1}", VenueCheck.InvalidFields)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000}", VenueCheck.InvalidFields)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000,\"respInst\":\"ACK\"}", VenueCheck.InvalidFields)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuG\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000}", VenueCheck.InvalidRequestId)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJu-m\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000}", VenueCheck.InvalidRequestId)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7t\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000}", VenueCheck.MalformedOrderId)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"\",\"time\":1700000000000}", VenueCheck.EmptySymbol)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1699999969999}", VenueCheck.StaleTime)]
    [InlineData("{\"id\":\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1700000030001}", VenueCheck.StaleTime)]
    public void Read_V1BodyBreakingOneRule_FailsThatCheck(string json, VenueCheck expected)
    {
        var body = Read(json);

        Assert.Equal(expected, body.Failure);
        Assert.False(string.IsNullOrEmpty(body.FailureMessage));
    }

    [Fact]
    public void Read_V1TimeExactlyThirtySecondsOld_Passes()
    {
        var body = Read($$"""{"id":"{{Id}}","orderId":"{{OrderId}}","symbol":"BTC-PERP","time":{{Now - 30_000}}}""");

        Assert.Null(body.Failure);
    }

    [Theory]
    [InlineData("{\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000}", null)]
    [InlineData("{\"id\":\"my_req-01\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7t\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000,\"respInst\":\"DONE\"}", null)]
    [InlineData("{\"id\":\"short\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000}", VenueCheck.InvalidRequestId)]
    [InlineData("{\"id\":\"has space in it\",\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000}", VenueCheck.InvalidRequestId)]
    [InlineData("{\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000,\"respInst\":\"LATER\"}", VenueCheck.InvalidRespInst)]
    [InlineData("{\"orderId\":\"kIXfMP72VfFDp653WoNqNGcpZCK9W7tsX\",\"symbol\":\"BTC-PERP\",\"time\":1700000000000}", VenueCheck.MalformedOrderId)]
    public void Read_V2Body_FollowsTheV2Rules(string json, VenueCheck? expected)
    {
        var body = Read(json, v2: true);

        Assert.Equal(expected, body.Failure);
    }
}
