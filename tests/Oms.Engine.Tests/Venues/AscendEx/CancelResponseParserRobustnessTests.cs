using static Oms.Engine.Tests.Support.ContractBodies;

namespace Oms.Engine.Tests.Venues.AscendEx;

/// <summary>The parser on any bytes (never a throw), on bodies split anywhere (the span's answer), and allocation-free.</summary>
public sealed class CancelResponseParserRobustnessTests
{
    private static readonly CancelResponseParser s_v1 = new(CancelProfile.V1);
    private static readonly CancelResponseParser s_v2 = new(CancelProfile.V2);

    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 40));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Parse_RandomBytes_NeverThrows(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < 200; i++)
        {
            byte[] body = new byte[random.Next(0, 300)];
            random.NextBytes(body);
            if (body.Length > 0 && i % 2 == 0)
            {
                body[0] = (byte)'{';
            }

            AssertParsesWithoutThrowing(body);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Parse_RandomJsonLikeTokens_NeverThrows(int seed)
    {
        string[] tokens =
        [
            "{", "}", "[", "]", ":", ",", "\"code\"", "\"data\"", "\"info\"", "\"meta\"", "\"id\"", "\"status\"",
            "\"reason\"", "\"message\"", "\"Ack\"", "\"Err\"", "\"INVALID_ORDER_ID\"", "0", "300006", "-1", "1e400",
            "99999999999999999999", "null", "true", "\"\\u00", "\"\\uD800\"", "\\", "\"", "/*", "*/", "//", "\n", " ",
            "\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\"", "\u00e9", "\u0001",
        ];
        var random = new Random(seed);
        var builder = new StringBuilder();
        for (int i = 0; i < 200; i++)
        {
            builder.Clear().Append('{');
            int count = random.Next(0, 60);
            for (int t = 0; t < count; t++)
            {
                builder.Append(tokens[random.Next(tokens.Length)]);
            }

            AssertParsesWithoutThrowing(Encoding.UTF8.GetBytes(builder.ToString()));
        }
    }

    [Fact]
    public void Parse_AckWithEveryByteReplaced_NeverThrows()
    {
        byte[] ack = Encoding.UTF8.GetBytes(V1Ack);
        byte[] replacements = [0x00, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'/', 0x80, 0xFF];

        for (int offset = 0; offset < ack.Length; offset++)
        {
            foreach (byte replacement in replacements)
            {
                byte[] body = (byte[])ack.Clone();
                body[offset] = replacement;

                AssertParsesWithoutThrowing(body);
            }
        }
    }

    [Theory]
    [InlineData("v1", V1Ack)]
    [InlineData("v1", V1AckContract)]
    [InlineData("v1", V1Err)]
    [InlineData("v1", AuthFailed)]
    [InlineData("v1", Html429)]
    [InlineData("v1", """{"code":0,"data":{"status":"Ack","info":{"id":"\u0073PWweX8baCYeFsKdmqZEmHdpliWaJuGm"}}}""")]
    [InlineData("v1", """{"code":300006,"reason":"INVALID\u005FORDER_ID","message":"say \"hi\""}""")]
    [InlineData("v1", V1Ack + "x")]
    [InlineData("v1", "  " + V1Ack + "  ")]
    [InlineData("v1", "[1,2]")]
    [InlineData("v1", "  ")]
    [InlineData("v2", V2Ack)]
    [InlineData("v2", V2Err)]
    public void Parse_SequenceSplitAtEveryOffset_MatchesSpan(string profile, string body)
    {
        CancelResponseParser parser = profile == "v1" ? s_v1 : s_v2;
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        string expected = Describe(parser, bytes);

        for (int offset = 0; offset <= bytes.Length; offset++)
        {
            Assert.Equal(expected, Describe(parser, SegmentedSequence.SplitAt(bytes, offset)));
        }

        Assert.Equal(expected, Describe(parser, SegmentedSequence.Split(bytes, 1)));
        Assert.Equal(expected, Describe(parser, new ReadOnlySequence<byte>(bytes)));
    }

    [Fact]
    public void Parse_TruncatedSequence_IsTruncated()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(V1Ack);

        for (int length = 1; length < bytes.Length; length++)
        {
            CancelResponse response = s_v1.Parse(SegmentedSequence.Split(bytes[..length], 1), [], [], []);

            Assert.Equal(CancelResponseKind.Truncated, response.Kind);
        }
    }

    [Theory]
    [InlineData("v1", V1Ack, CancelResponseKind.Ack)]
    [InlineData("v1", V1AckContract, CancelResponseKind.Ack)]
    [InlineData("v1", V1Err, CancelResponseKind.Err)]
    [InlineData("v1", AuthFailed, CancelResponseKind.Err)]
    [InlineData("v2", V2Ack, CancelResponseKind.Ack)]
    [InlineData("v2", V2Err, CancelResponseKind.Err)]
    [InlineData("v1", Html429, CancelResponseKind.NotJson)]
    [InlineData("v1", "", CancelResponseKind.Empty)]
    [InlineData("v1", """{"code":0,"data":{"status":"Ack","info":{"id":"sPWwe""", CancelResponseKind.Truncated)]
    [InlineData("v1", """{"code":0}""", CancelResponseKind.UnknownShape)]
    internal void Parse_SteadyState_AllocatesNothing(string profile, string body, CancelResponseKind kind)
    {
        CancelResponseParser parser = profile == "v1" ? s_v1 : s_v2;
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        byte[] reason = new byte[64];
        byte[] message = new byte[128];
        byte[] diagnostic = new byte[64];
        int matches = 0;
        for (int i = 0; i < 1_000; i++)
        {
            matches += parser.Parse(bytes, reason, message, diagnostic).Kind == kind ? 1 : 0;
        }

        int runs = 0;
        long allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            runs++;
            for (int i = 0; i < 10_000; i++)
            {
                matches += parser.Parse(bytes, reason, message, diagnostic).Kind == kind ? 1 : 0;
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(1_000 + (runs * 10_000), matches);
    }

    [Fact]
    public void Parse_MultiSegmentAck_AllocatesNothing()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(V1Ack);
        ReadOnlySequence<byte> body = SegmentedSequence.SplitAt(bytes, 100);
        byte[] scratch = new byte[64];
        int acks = 0;
        for (int i = 0; i < 1_000; i++)
        {
            acks += s_v1.Parse(body, scratch, scratch, scratch).Kind == CancelResponseKind.Ack ? 1 : 0;
        }

        int runs = 0;
        long allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            runs++;
            for (int i = 0; i < 10_000; i++)
            {
                acks += s_v1.Parse(body, scratch, scratch, scratch).Kind == CancelResponseKind.Ack ? 1 : 0;
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(1_000 + (runs * 10_000), acks);
    }

    private static void AssertParsesWithoutThrowing(byte[] body)
    {
        foreach (CancelResponseParser parser in new[] { s_v1, s_v2 })
        {
            CancelResponse response = parser.Parse(body, new byte[8], new byte[8], new byte[8]);
            CancelResponse fromSequence = parser.Parse(SegmentedSequence.SplitAt(body, body.Length / 2), new byte[8], new byte[8], new byte[8]);

            Assert.NotEqual(CancelResponseKind.None, response.Kind);
            Assert.Equal(response.Kind, fromSequence.Kind);
            Assert.InRange(response.DiagnosticBytesCopied, 0, 8);
            Assert.InRange(response.EchoedId.Length, 0, CancelResponse.MaxEchoedIdLength);
        }
    }

    private static string Describe(CancelResponseParser parser, byte[] body) =>
        Describe(parser, new ReadOnlySequence<byte>(body), forceSpan: true);

    private static string Describe(CancelResponseParser parser, ReadOnlySequence<byte> body, bool forceSpan = false)
    {
        byte[] reason = new byte[64];
        byte[] message = new byte[64];
        byte[] diagnostic = new byte[32];
        CancelResponse r = forceSpan
            ? parser.Parse(body.FirstSpan, reason, message, diagnostic)
            : parser.Parse(body, reason, message, diagnostic);
        return string.Join(
            "|",
            r.Kind,
            r.BodyLength,
            r.HasCode,
            r.Code,
            r.Status,
            r.Reason,
            r.HasEchoedId,
            r.EchoedIdLength,
            Encoding.UTF8.GetString(r.EchoedId),
            r.ReasonLength,
            Encoding.UTF8.GetString(reason, 0, r.ReasonBytesCopied),
            r.MessageLength,
            Encoding.UTF8.GetString(message, 0, r.MessageBytesCopied),
            Convert.ToHexString(diagnostic, 0, r.DiagnosticBytesCopied));
    }
}
