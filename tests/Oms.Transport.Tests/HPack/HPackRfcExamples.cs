namespace Oms.Transport.Tests.HPack;

/// <summary>One header block of RFC 7541 Appendix C and the decoder's state after it.</summary>
/// <param name="Hex">The encoded block, as the RFC's hex dump.</param>
/// <param name="Headers">The header list it encodes.</param>
/// <param name="Table">The dynamic table afterwards, newest (index 62) first.</param>
/// <param name="TableSize">The dynamic table size afterwards.</param>
internal sealed record HPackRfcBlock(
    string Hex,
    (string Name, string Value)[] Headers,
    (string Name, string Value)[] Table,
    int TableSize);

/// <summary>The examples of RFC 7541 Appendix C, as sequences of blocks on one connection.</summary>
internal static class HPackRfcExamples
{
    private const string Date21 = "Mon, 21 Oct 2013 20:13:21 GMT";
    private const string Date22 = "Mon, 21 Oct 2013 20:13:22 GMT";
    private const string Location = "https://www.example.com";
    private const string Cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    // C.3.x and C.4.x share their header lists and tables; only the encoding differs.
    private static readonly (string, string)[] s_request1 =
        [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")];

    private static readonly (string, string)[] s_request2 =
        [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"), ("cache-control", "no-cache")];

    private static readonly (string, string)[] s_request3 =
        [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")];

    private static readonly (string, string)[] s_requestTable1 = [(":authority", "www.example.com")];

    private static readonly (string, string)[] s_requestTable2 = [("cache-control", "no-cache"), (":authority", "www.example.com")];

    private static readonly (string, string)[] s_requestTable3 =
        [("custom-key", "custom-value"), ("cache-control", "no-cache"), (":authority", "www.example.com")];

    // C.5.x and C.6.x likewise, with SETTINGS_HEADER_TABLE_SIZE = 256.
    private static readonly (string, string)[] s_response1 =
        [(":status", "302"), ("cache-control", "private"), ("date", Date21), ("location", Location)];

    private static readonly (string, string)[] s_response2 =
        [(":status", "307"), ("cache-control", "private"), ("date", Date21), ("location", Location)];

    private static readonly (string, string)[] s_response3 =
        [(":status", "200"), ("cache-control", "private"), ("date", Date22), ("location", Location), ("content-encoding", "gzip"), ("set-cookie", Cookie)];

    private static readonly (string, string)[] s_responseTable1 =
        [("location", Location), ("date", Date21), ("cache-control", "private"), (":status", "302")];

    private static readonly (string, string)[] s_responseTable2 =
        [(":status", "307"), ("location", Location), ("date", Date21), ("cache-control", "private")];

    private static readonly (string, string)[] s_responseTable3 =
        [("set-cookie", Cookie), ("content-encoding", "gzip"), ("date", Date22)];

    /// <summary>The table size of C.5 and C.6.</summary>
    public const int ResponseTableSize = 256;

    /// <summary>The sequence named "C.2.1", "C.3", ... "C.6".</summary>
    public static HPackRfcBlock[] Get(string name) => name switch
    {
        "C.2.1" => C21,
        "C.2.2" => C22,
        "C.2.3" => C23,
        "C.2.4" => C24,
        "C.3" => C3,
        "C.4" => C4,
        "C.5" => C5,
        "C.6" => C6,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The table size the sequence assumes.</summary>
    public static int TableSizeOf(string name) => name is "C.5" or "C.6" ? ResponseTableSize : 4096;

    public static HPackRfcBlock[] C21 { get; } =
    [
        new("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
            [("custom-key", "custom-header")], [("custom-key", "custom-header")], 55),
    ];

    public static HPackRfcBlock[] C22 { get; } =
    [
        new("040c 2f73 616d 706c 652f 7061 7468", [(":path", "/sample/path")], [], 0),
    ];

    public static HPackRfcBlock[] C23 { get; } =
    [
        new("1008 7061 7373 776f 7264 0673 6563 7265 74", [("password", "secret")], [], 0),
    ];

    public static HPackRfcBlock[] C24 { get; } =
    [
        new("82", [(":method", "GET")], [], 0),
    ];

    public static HPackRfcBlock[] C3 { get; } =
    [
        new("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", s_request1, s_requestTable1, 57),
        new("8286 84be 5808 6e6f 2d63 6163 6865", s_request2, s_requestTable2, 110),
        new("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", s_request3, s_requestTable3, 164),
    ];

    public static HPackRfcBlock[] C4 { get; } =
    [
        new("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", s_request1, s_requestTable1, 57),
        new("8286 84be 5886 a8eb 1064 9cbf", s_request2, s_requestTable2, 110),
        new("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", s_request3, s_requestTable3, 164),
    ];

    public static HPackRfcBlock[] C5 { get; } =
    [
        new("4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 "
            + "2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 "
            + "6c65 2e63 6f6d",
            s_response1, s_responseTable1, 222),
        new("4803 3330 37c1 c0bf", s_response2, s_responseTable2, 222),
        new("88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d "
            + "54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 "
            + "5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e "
            + "3d31",
            s_response3, s_responseTable3, 215),
    ];

    public static HPackRfcBlock[] C6 { get; } =
    [
        new("4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 "
            + "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
            s_response1, s_responseTable1, 222),
        new("4883 640e ffc1 c0bf", s_response2, s_responseTable2, 222),
        new("88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab "
            + "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f "
            + "9587 3160 65c0 03ed 4ee5 b106 3d50 07",
            s_response3, s_responseTable3, 215),
    ];
}
