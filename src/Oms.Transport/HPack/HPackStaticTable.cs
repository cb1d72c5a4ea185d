namespace Oms.Transport.HPack;

/// <summary>The 61 predefined header fields of RFC 7541 Appendix A, as UTF-8 octets, indexed from 1.</summary>
internal static class HPackStaticTable
{
    /// <summary>Number of entries; dynamic table indices start right after (RFC 7541 section 2.3.3).</summary>
    public const int Count = 61;

    // Row i is static index i + 1, in the order of RFC 7541 Appendix A, Table 1.
    private static readonly Entry[] s_entries =
    [
        new(":authority"u8, ""u8),                    //  1
        new(":method"u8, "GET"u8),                    //  2
        new(":method"u8, "POST"u8),                   //  3
        new(":path"u8, "/"u8),                        //  4
        new(":path"u8, "/index.html"u8),              //  5
        new(":scheme"u8, "http"u8),                   //  6
        new(":scheme"u8, "https"u8),                  //  7
        new(":status"u8, "200"u8),                    //  8
        new(":status"u8, "204"u8),                    //  9
        new(":status"u8, "206"u8),                    // 10
        new(":status"u8, "304"u8),                    // 11
        new(":status"u8, "400"u8),                    // 12
        new(":status"u8, "404"u8),                    // 13
        new(":status"u8, "500"u8),                    // 14
        new("accept-charset"u8, ""u8),                // 15
        new("accept-encoding"u8, "gzip, deflate"u8),  // 16
        new("accept-language"u8, ""u8),               // 17
        new("accept-ranges"u8, ""u8),                 // 18
        new("accept"u8, ""u8),                        // 19
        new("access-control-allow-origin"u8, ""u8),   // 20
        new("age"u8, ""u8),                           // 21
        new("allow"u8, ""u8),                         // 22
        new("authorization"u8, ""u8),                 // 23
        new("cache-control"u8, ""u8),                 // 24
        new("content-disposition"u8, ""u8),           // 25
        new("content-encoding"u8, ""u8),              // 26
        new("content-language"u8, ""u8),              // 27
        new("content-length"u8, ""u8),                // 28
        new("content-location"u8, ""u8),              // 29
        new("content-range"u8, ""u8),                 // 30
        new("content-type"u8, ""u8),                  // 31
        new("cookie"u8, ""u8),                        // 32
        new("date"u8, ""u8),                          // 33
        new("etag"u8, ""u8),                          // 34
        new("expect"u8, ""u8),                        // 35
        new("expires"u8, ""u8),                       // 36
        new("from"u8, ""u8),                          // 37
        new("host"u8, ""u8),                          // 38
        new("if-match"u8, ""u8),                      // 39
        new("if-modified-since"u8, ""u8),             // 40
        new("if-none-match"u8, ""u8),                 // 41
        new("if-range"u8, ""u8),                      // 42
        new("if-unmodified-since"u8, ""u8),           // 43
        new("last-modified"u8, ""u8),                 // 44
        new("link"u8, ""u8),                          // 45
        new("location"u8, ""u8),                      // 46
        new("max-forwards"u8, ""u8),                  // 47
        new("proxy-authenticate"u8, ""u8),            // 48
        new("proxy-authorization"u8, ""u8),           // 49
        new("range"u8, ""u8),                         // 50
        new("referer"u8, ""u8),                       // 51
        new("refresh"u8, ""u8),                       // 52
        new("retry-after"u8, ""u8),                   // 53
        new("server"u8, ""u8),                        // 54
        new("set-cookie"u8, ""u8),                    // 55
        new("strict-transport-security"u8, ""u8),     // 56
        new("transfer-encoding"u8, ""u8),             // 57
        new("user-agent"u8, ""u8),                    // 58
        new("vary"u8, ""u8),                          // 59
        new("via"u8, ""u8),                           // 60
        new("www-authenticate"u8, ""u8),              // 61
    ];

    /// <summary>The name of static entry <paramref name="index"/> (1 to 61).</summary>
    public static ReadOnlySpan<byte> GetName(int index) => s_entries[index - 1].Name;

    /// <summary>The value of static entry <paramref name="index"/> (1 to 61); empty for most names.</summary>
    public static ReadOnlySpan<byte> GetValue(int index) => s_entries[index - 1].Value;

    /// <summary>
    /// Looks a field up for the encoder: the index of an entry equal to (<paramref name="name"/>,
    /// <paramref name="value"/>), and the lowest index whose name equals <paramref name="name"/>.
    /// </summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The field value.</param>
    /// <param name="nameIndex">The lowest index with that name, or 0.</param>
    /// <returns>The index of the full match, or 0.</returns>
    public static int Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out int nameIndex)
    {
        nameIndex = 0;
        Entry[] entries = s_entries;
        for (int i = 0; i < entries.Length; i++)
        {
            Entry entry = entries[i];
            if (entry.Name.Length != name.Length || !name.SequenceEqual(entry.Name))
            {
                // Appendix A keeps the entries of one name adjacent: past them, nothing more can match.
                if (nameIndex != 0)
                {
                    break;
                }

                continue;
            }

            if (nameIndex == 0)
            {
                nameIndex = i + 1;
            }

            if (value.SequenceEqual(entry.Value))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private readonly struct Entry(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        public readonly byte[] Name = name.ToArray();
        public readonly byte[] Value = value.ToArray();
    }
}
