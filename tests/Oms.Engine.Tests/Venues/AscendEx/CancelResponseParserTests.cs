using static Oms.Engine.Tests.Support.ContractBodies;

namespace Oms.Engine.Tests.Venues.AscendEx;

public sealed class CancelResponseParserTests
{
    private static readonly CancelResponseParser s_v1 = new(CancelProfile.V1);
    private static readonly CancelResponseParser s_v2 = new(CancelProfile.V2);

    [Theory]
    [InlineData(V1AckContract)]
    [InlineData(V1Ack)]
    public void Parse_V1Ack_IsAckWithEchoedId(string body)
    {
        Parsed parsed = Parse(s_v1, body);

        Assert.Equal(CancelResponseKind.Ack, parsed.Response.Kind);
        Assert.True(parsed.Response.HasCode);
        Assert.Equal(0, parsed.Response.Code);
        Assert.Equal(VenueStatus.Ack, parsed.Response.Status);
        Assert.Equal(VenueReason.None, parsed.Response.Reason);
        Assert.Equal(VenueErrorClass.Acked, parsed.Response.ErrorClass);
        Assert.True(parsed.Response.HasEchoedId);
        Assert.Equal(AckId, parsed.EchoedId);
        Assert.True(parsed.Response.EchoedIdEquals(Encoding.ASCII.GetBytes(AckId)));
        Assert.Equal(0, parsed.Response.DiagnosticBytesCopied);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), parsed.Response.BodyLength);
    }

    [Theory]
    [InlineData(V1ErrContract)]
    [InlineData(V1Err)]
    public void Parse_V1Err_IsErrWithReasonMessageAndEchoedId(string body)
    {
        Parsed parsed = Parse(s_v1, body);

        Assert.Equal(CancelResponseKind.Err, parsed.Response.Kind);
        Assert.Equal(300006, parsed.Response.Code);
        Assert.Equal(VenueStatus.Err, parsed.Response.Status);
        Assert.Equal(VenueReason.InvalidOrderId, parsed.Response.Reason);
        Assert.Equal(VenueErrorClass.Rejected, parsed.Response.ErrorClass);
        Assert.Equal("INVALID_ORDER_ID", parsed.Reason);
        Assert.Equal(16, parsed.Response.ReasonLength);
        Assert.Equal("Invalid Client Order Id: ku30AehuWoHzMeyGEAS8heeDXpb1heOS", parsed.Message);
        Assert.Equal(parsed.Message.Length, parsed.Response.MessageLength);
        Assert.Equal(ErrId, parsed.EchoedId);
        Assert.Equal(0, parsed.Response.DiagnosticBytesCopied);
    }

    [Fact]
    public void Parse_AuthenticationFailed_IsErrWithoutEchoedId()
    {
        Parsed parsed = Parse(s_v1, AuthFailed);

        Assert.Equal(CancelResponseKind.Err, parsed.Response.Kind);
        Assert.Equal(200001, parsed.Response.Code);
        Assert.Equal(VenueStatus.None, parsed.Response.Status);
        Assert.Equal(VenueReason.AuthenticationFailed, parsed.Response.Reason);
        Assert.Equal(VenueErrorClass.AuthenticationFailed, parsed.Response.ErrorClass);
        Assert.False(parsed.Response.HasEchoedId);
        Assert.Equal(0, parsed.Response.EchoedId.Length);
        Assert.False(parsed.Response.EchoedIdEquals(Encoding.ASCII.GetBytes(AckId)));
        Assert.Equal("API signature mismatch", parsed.Message);
    }

    [Theory]
    [InlineData("""{"code":510001,"reason":"SERVER_ERROR","message":"Internal server error"}""", 510001L, VenueReason.ServerError, VenueErrorClass.RetryWithBackoff)]
    [InlineData("""{"code":510001}""", 510001L, VenueReason.ServerError, VenueErrorClass.RetryWithBackoff)]
    [InlineData("""{"code":100014,"reason":"RISK_LIMIT_VIOLATION","message":"too many requests"}""", 100014L, VenueReason.TooManyRequests, VenueErrorClass.RetryWithBackoff)]
    [InlineData("""{"code":100011,"reason":"INVALID_TIMESTAMP","message":"stale"}""", 100011L, VenueReason.InvalidTimestamp, VenueErrorClass.ReSign)]
    [InlineData("""{"code":200015,"reason":"PERMISSION_DENIED","message":"no trade"}""", 200015L, VenueReason.PermissionDenied, VenueErrorClass.PermissionDenied)]
    [InlineData("""{"code":100001,"reason":"INVALID_HTTP_INPUT"}""", 100001L, VenueReason.InvalidHttpInput, VenueErrorClass.Rejected)]
    [InlineData("""{"code":100004,"reason":"INVALID_REQUEST_DATA"}""", 100004L, VenueReason.InvalidRequestData, VenueErrorClass.Rejected)]
    [InlineData("""{"code":100008,"reason":"SYMBOL_ERROR"}""", 100008L, VenueReason.SymbolError, VenueErrorClass.Rejected)]
    [InlineData("""{"code":150001,"reason":"INVALID_JSON_FORMAT"}""", 150001L, VenueReason.InvalidJsonFormat, VenueErrorClass.Rejected)]
    [InlineData("""{"code":999999,"reason":"SOMETHING_NEW","message":"?"}""", 999999L, VenueReason.Other, VenueErrorClass.Rejected)]
    [InlineData("""{"code":999999,"reason":"AUTHENTICATION_FAILED"}""", 999999L, VenueReason.AuthenticationFailed, VenueErrorClass.AuthenticationFailed)]
    [InlineData("""{"code":-1}""", -1L, VenueReason.Other, VenueErrorClass.Rejected)]
    internal void Parse_ErrorBody_MapsCodeReasonAndClass(string body, long code, VenueReason reason, VenueErrorClass errorClass)
    {
        Parsed parsed = Parse(s_v1, body);

        Assert.Equal(CancelResponseKind.Err, parsed.Response.Kind);
        Assert.Equal(code, parsed.Response.Code);
        Assert.Equal(reason, parsed.Response.Reason);
        Assert.Equal(errorClass, parsed.Response.ErrorClass);
    }

    [Fact]
    public void Parse_ErrStatusWithoutCode_IsErrClassifiedByReason()
    {
        Parsed parsed = Parse(s_v1, """{"status":"Err","reason":"INVALID_TIMESTAMP"}""");

        Assert.Equal(CancelResponseKind.Err, parsed.Response.Kind);
        Assert.False(parsed.Response.HasCode);
        Assert.Equal(VenueReason.InvalidTimestamp, parsed.Response.Reason);
        Assert.Equal(VenueErrorClass.ReSign, parsed.Response.ErrorClass);
    }

    /// <summary>
    /// Bodies whose outcome is one kind and at most a code, a reason, a class and an echoed id (null: not asserted):
    /// an Err status wins over code 0, an Err's id may stand only under data, v2 keeps its Err fields at the top, a
    /// profile does not read the other's bodies, and trailing white space, field order and odd meta are tolerated.
    /// </summary>
    [Theory]
    [InlineData("v1", """{"code":0,"status":"Err","reason":"INVALID_ORDER_ID","data":{"status":"Ack"}}""", CancelResponseKind.Err, null, VenueReason.InvalidOrderId, VenueErrorClass.Rejected, null)]
    [InlineData("v1", """{"code":300006,"data":{"info":{"id":"ku30AehuWoHzMeyGEAS8heeDXpb1heOS"}}}""", CancelResponseKind.Err, null, null, null, ErrId)]
    [InlineData("v2", V2Err, CancelResponseKind.Err, 300006L, VenueReason.InvalidOrderId, null, ErrId)]
    [InlineData("v2", V1Ack, CancelResponseKind.UnknownShape, null, null, null, null)]
    [InlineData("v1", V1Ack + " \r\n\t", CancelResponseKind.Ack, null, null, null, null)]
    [InlineData("v2", """{"code":0,"data":{"meta":"ACK"}}""", CancelResponseKind.UnknownShape, null, null, null, null)]
    [InlineData("v1", """{"data":{"info":{"symbol":"BTC-PERP","id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm"},"status":"Ack"},"code":0}""", CancelResponseKind.Ack, null, null, null, AckId)]
    internal void Parse_BodyOfAKnownOutcome_KindAndWhatItCarries(
        string profile, string body, CancelResponseKind kind, long? code, VenueReason? reason, VenueErrorClass? errorClass, string? echoedId)
    {
        Parsed parsed = Parse(profile == "v1" ? s_v1 : s_v2, body);

        Assert.Equal(kind, parsed.Response.Kind);
        if (code is { } expectedCode)
        {
            Assert.Equal(expectedCode, parsed.Response.Code);
        }

        if (reason is { } expectedReason)
        {
            Assert.Equal(expectedReason, parsed.Response.Reason);
        }

        if (errorClass is { } expectedClass)
        {
            Assert.Equal(expectedClass, parsed.Response.ErrorClass);
        }

        if (echoedId is not null)
        {
            Assert.Equal(echoedId, parsed.EchoedId);
        }
    }

    [Fact]
    public void Parse_V2Ack_IsAckWithMetaId()
    {
        Parsed parsed = Parse(s_v2, V2Ack);

        Assert.Equal(CancelResponseKind.Ack, parsed.Response.Kind);
        Assert.Equal(0, parsed.Response.Code);
        Assert.Equal(VenueStatus.None, parsed.Response.Status);
        Assert.Equal(VenueErrorClass.Acked, parsed.Response.ErrorClass);
        Assert.Equal(AckId, parsed.EchoedId);
    }

    [Fact]
    public void Parse_V2AuthenticationFailed_IsErrWithoutEchoedId()
    {
        Parsed parsed = Parse(s_v2, AuthFailed);

        Assert.Equal(CancelResponseKind.Err, parsed.Response.Kind);
        Assert.Equal(VenueErrorClass.AuthenticationFailed, parsed.Response.ErrorClass);
        Assert.False(parsed.Response.HasEchoedId);
    }

    [Fact]
    public void Parse_V2AckWithV1Parser_IsUnknownShape()
    {
        Parsed parsed = Parse(s_v1, V2Ack);

        Assert.Equal(CancelResponseKind.UnknownShape, parsed.Response.Kind);
        Assert.Equal(VenueErrorClass.Undetermined, parsed.Response.ErrorClass);
        Assert.True(parsed.Response.DiagnosticBytesCopied > 0);
    }

    [Fact]
    public void Parse_Html429_IsNotJsonWithItsFirstBytes()
    {
        Parsed parsed = Parse(s_v1, Html429, diagnosticSize: 16);

        Assert.Equal(CancelResponseKind.NotJson, parsed.Response.Kind);
        Assert.Equal(VenueErrorClass.Undetermined, parsed.Response.ErrorClass);
        Assert.False(parsed.Response.HasCode);
        Assert.Equal(16, parsed.Response.DiagnosticBytesCopied);
        Assert.Equal(Html429[..16], parsed.Diagnostic);
        Assert.Equal(Html429.Length, parsed.Response.BodyLength);
    }

    [Fact]
    public void Parse_ShortNonJsonBody_CopiesAllOfIt()
    {
        Parsed parsed = Parse(s_v1, "Bad Gateway", diagnosticSize: 64);

        Assert.Equal(CancelResponseKind.NotJson, parsed.Response.Kind);
        Assert.Equal("Bad Gateway", parsed.Diagnostic);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\r\n\t ")]
    public void Parse_EmptyOrWhitespace_IsEmpty(string body)
    {
        Parsed parsed = Parse(s_v1, body);

        Assert.Equal(CancelResponseKind.Empty, parsed.Response.Kind);
        Assert.Equal(VenueErrorClass.Undetermined, parsed.Response.ErrorClass);
        Assert.Equal(0, parsed.Response.DiagnosticBytesCopied);
    }

    [Theory]
    [InlineData("v1", V1Ack)]
    [InlineData("v1", V1AckContract)]
    [InlineData("v1", V1Err)]
    [InlineData("v1", AuthFailed)]
    [InlineData("v2", V2Ack)]
    [InlineData("v2", V2Err)]
    public void Parse_CutAtEveryOffset_IsTruncatedOrEmpty(string profile, string body)
    {
        CancelResponseParser parser = profile == "v1" ? s_v1 : s_v2;
        byte[] bytes = Encoding.UTF8.GetBytes(body);

        for (int length = 0; length < bytes.Length; length++)
        {
            byte[] prefix = bytes[..length];
            CancelResponse response = parser.Parse(prefix, new byte[64], new byte[64], new byte[64]);

            CancelResponseKind expected = prefix.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                ? CancelResponseKind.Empty
                : CancelResponseKind.Truncated;
            Assert.True(expected == response.Kind, $"length {length}: {response.Kind}");
            Assert.Equal(VenueErrorClass.Undetermined, response.ErrorClass);
        }
    }

    [Fact]
    public void Parse_TruncatedAck_CopiesFirstBytesForDiagnostics()
    {
        Parsed parsed = Parse(s_v1, V1Ack[..40], diagnosticSize: 64);

        Assert.Equal(CancelResponseKind.Truncated, parsed.Response.Kind);
        Assert.Equal(V1Ack[..40], parsed.Diagnostic);
    }

    [Theory]
    [InlineData(V1Ack + "x")]
    [InlineData(V1Ack + "{}")]
    [InlineData(V1Ack + V1Ack)]
    [InlineData(AuthFailed + "]")]
    [InlineData("""{"code":0,}""")]
    [InlineData("""{"code":0 "data":1}""")]
    [InlineData("""{"code":01}""")]
    [InlineData("""{"code":tru}""")]
    [InlineData("""{'code':0}""")]
    [InlineData("""{"code":0,"message":"a""" + "\u0001" + """b"}""")]
    [InlineData("""{"code":0,"data":{"status":"Ack",}}""")]
    [InlineData("""{"code":0,"data":{"status":"Ack"]}""")]
    [InlineData("""{"code":"\x"}""")]
    [InlineData("[1,2}")]
    public void Parse_BrokenJson_IsMalformed(string body)
    {
        Parsed parsed = Parse(s_v1, body);

        Assert.Equal(CancelResponseKind.Malformed, parsed.Response.Kind);
        Assert.Equal(VenueErrorClass.Undetermined, parsed.Response.ErrorClass);
        Assert.True(parsed.Response.DiagnosticBytesCopied > 0);
    }

    [Fact]
    public void Parse_NestingDeeperThanReaderLimit_IsMalformed()
    {
        string body = """{"code":0,"x":""" + string.Concat(Enumerable.Repeat("""{"a":""", 100)) + "1" + new string('}', 101);

        Parsed parsed = Parse(s_v1, body);

        Assert.Equal(CancelResponseKind.Malformed, parsed.Response.Kind);
    }

    [Theory]
    [InlineData("123")]
    [InlineData("\"Ack\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("Too Many Requests")]
    [InlineData("  <!DOCTYPE html>")]
    public void Parse_NotAnObjectOrArray_IsNotJson(string body)
    {
        Parsed parsed = Parse(s_v1, body);

        Assert.Equal(CancelResponseKind.NotJson, parsed.Response.Kind);
    }

    [Fact]
    public void Parse_ByteOrderMarkBeforeObject_IsNotJson()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(V1Ack)];

        CancelResponse response = s_v1.Parse(body, [], [], new byte[8]);

        Assert.Equal(CancelResponseKind.NotJson, response.Kind);
        Assert.Equal(8, response.DiagnosticBytesCopied);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"code":0}""")]
    [InlineData("""{"code":"0","data":{"status":"Ack"}}""")]
    [InlineData("""{"code":1.5,"data":{"status":"Ack"}}""")]
    [InlineData("""{"code":99999999999999999999,"data":{"status":"Ack"}}""")]
    [InlineData("""{"code":0,"data":{"status":"Err"}}""")]
    [InlineData("""{"code":0,"data":{"status":"ack"}}""")]
    [InlineData("""{"code":0,"data":null}""")]
    [InlineData("""{"code":0,"data":[{"status":"Ack"}]}""")]
    [InlineData("""{"code":0,"data":{"info":{"id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm"}}}""")]
    [InlineData("""{"code":0,"status":"Ack"}""")]
    [InlineData("""{"data":{"status":"Ack"}}""")]
    [InlineData("""{"code":null,"data":{"status":"Ack"}}""")]
    [InlineData("[1,2]")]
    [InlineData("[]")]
    public void Parse_ValidJsonOfAnotherShape_IsUnknownShape(string body)
    {
        Parsed parsed = Parse(s_v1, body);

        Assert.Equal(CancelResponseKind.UnknownShape, parsed.Response.Kind);
        Assert.Equal(VenueErrorClass.Undetermined, parsed.Response.ErrorClass);
    }

    [Fact]
    public void Parse_UnknownFieldsEverywhere_AreSkipped()
    {
        const string body = """
            {"x":{"id":"WRONG1","code":5,"status":"Err"},"list":[{"id":"WRONG2"},[1,2,{"a":null}]],
             "code":0,"n":-1.5e3,"b":true,"z":null,
             "data":{"y":[{"id":"WRONG3"}],"meta":{"id":"WRONG4"},"status":"Ack","nested":{"info":{"id":"WRONG5"}},
                     "info":{"z":{"id":"WRONG6"},"arr":["id"],"id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm","more":{}},
                     "after":"x"},
             "trailer":{"deep":{"deeper":[[[]]]}}}
            """;

        Parsed parsed = Parse(s_v1, body);

        Assert.Equal(CancelResponseKind.Ack, parsed.Response.Kind);
        Assert.Equal(0, parsed.Response.Code);
        Assert.Equal(AckId, parsed.EchoedId);
    }

    [Fact]
    public void Parse_SmallScratch_TruncatesTextsAndReportsFullLengths()
    {
        Parsed parsed = Parse(s_v1, V1Err, reasonSize: 4, messageSize: 0);

        Assert.Equal(CancelResponseKind.Err, parsed.Response.Kind);
        Assert.Equal(VenueReason.InvalidOrderId, parsed.Response.Reason);
        Assert.Equal("INVA", parsed.Reason);
        Assert.Equal(4, parsed.Response.ReasonBytesCopied);
        Assert.Equal(16, parsed.Response.ReasonLength);
        Assert.Equal(0, parsed.Response.MessageBytesCopied);
        Assert.Equal(57, parsed.Response.MessageLength);
    }

    [Fact]
    public void Parse_EscapedEchoedId_IsUnescaped()
    {
        Parsed parsed = Parse(s_v1, """{"code":0,"data":{"status":"Ack","info":{"id":"\u0073PWweX8baCYeFsKdmqZEmHdpliWaJu\u0047m"}}}""");

        Assert.Equal(CancelResponseKind.Ack, parsed.Response.Kind);
        Assert.Equal(AckId, parsed.EchoedId);
        Assert.True(parsed.Response.EchoedIdEquals(Encoding.ASCII.GetBytes(AckId)));
    }

    [Fact]
    public void Parse_EscapedEchoedIdWithLoneSurrogate_KeepsRawTextAndNeverMatches()
    {
        Parsed parsed = Parse(s_v1, """{"code":0,"data":{"status":"Ack","info":{"id":"\uD800abc"}}}""");

        Assert.Equal(CancelResponseKind.Ack, parsed.Response.Kind);
        Assert.True(parsed.Response.HasEchoedId);
        Assert.Equal("\\uD800abc", parsed.EchoedId);
    }

    [Fact]
    public void Parse_LoneSurrogateEscapesInNamesAndReason_MatchNothingAndStillParse()
    {
        Parsed parsed = Parse(s_v1, """{"\uDC00":1,"code":300006,"status":"Err","reason":"\uD800","info":{"\uD800x":2,"id":"ku30AehuWoHzMeyGEAS8heeDXpb1heOS"}}""");

        Assert.Equal(CancelResponseKind.Err, parsed.Response.Kind);
        Assert.Equal(VenueReason.InvalidOrderId, parsed.Response.Reason);
        Assert.Equal("\\uD800", parsed.Reason);
        Assert.Equal(ErrId, parsed.EchoedId);
    }

    [Fact]
    public void Parse_EscapedMessageAndReason_AreCopiedRaw()
    {
        Parsed parsed = Parse(s_v1, """{"code":300006,"reason":"INVALID\u005FORDER_ID","message":"say \"hi\""}""");

        Assert.Equal(VenueReason.InvalidOrderId, parsed.Response.Reason);
        Assert.Equal("INVALID\\u005FORDER_ID", parsed.Reason);
        Assert.Equal("say \\\"hi\\\"", parsed.Message);
    }

    [Fact]
    public void Parse_EchoedIdLongerThanKept_ReportsFullLengthAndNeverMatches()
    {
        string longId = AckId + "EXTRA123";
        Parsed parsed = Parse(s_v1, "{\"code\":0,\"data\":{\"status\":\"Ack\",\"info\":{\"id\":\"" + longId + "\"}}}");

        Assert.Equal(CancelResponseKind.Ack, parsed.Response.Kind);
        Assert.Equal(40, parsed.Response.EchoedIdLength);
        Assert.Equal(AckId, parsed.EchoedId);
        Assert.False(parsed.Response.EchoedIdEquals(Encoding.ASCII.GetBytes(AckId)));
    }

    [Fact]
    public void EchoedIdEquals_DifferentId_IsFalse()
    {
        Parsed parsed = Parse(s_v1, V1Ack);

        Assert.False(parsed.Response.EchoedIdEquals(Encoding.ASCII.GetBytes(ErrId)));
        Assert.False(parsed.Response.EchoedIdEquals(Encoding.ASCII.GetBytes(AckId[..31])));
    }

    [Fact]
    public void Parse_EmptyEchoedId_IsPresentButEmpty()
    {
        Parsed parsed = Parse(s_v1, """{"code":300006,"status":"Err","info":{"id":""}}""");

        Assert.True(parsed.Response.HasEchoedId);
        Assert.Equal(0, parsed.Response.EchoedIdLength);
        Assert.True(parsed.Response.EchoedIdEquals([]));
    }

    [Fact]
    public void DefaultResponse_IsNoneAndUndetermined()
    {
        CancelResponse response = default;

        Assert.Equal(CancelResponseKind.None, response.Kind);
        Assert.Equal(VenueErrorClass.Undetermined, response.ErrorClass);
        Assert.True(response.EchoedId.IsEmpty);
    }

    [Fact]
    public void Constructor_NullProfile_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new CancelResponseParser(null!));
    }

    [Fact]
    public void Profile_IsTheOneGiven()
    {
        Assert.Same(CancelProfile.V2, s_v2.Profile);
    }

    private static Parsed Parse(CancelResponseParser parser, string body, int reasonSize = 64, int messageSize = 256, int diagnosticSize = 64)
    {
        byte[] reason = new byte[reasonSize];
        byte[] message = new byte[messageSize];
        byte[] diagnostic = new byte[diagnosticSize];

        CancelResponse response = parser.Parse(Encoding.UTF8.GetBytes(body), reason, message, diagnostic);

        return new Parsed(
            response,
            Encoding.UTF8.GetString(response.EchoedId),
            Encoding.UTF8.GetString(reason, 0, response.ReasonBytesCopied),
            Encoding.UTF8.GetString(message, 0, response.MessageBytesCopied),
            Encoding.UTF8.GetString(diagnostic, 0, response.DiagnosticBytesCopied));
    }

    private readonly record struct Parsed(CancelResponse Response, string EchoedId, string Reason, string Message, string Diagnostic);
}
