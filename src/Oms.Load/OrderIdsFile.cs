namespace Oms.Load;

/// <summary>
/// Files of orders to cancel, one <c>symbol orderId</c> a line: what <c>oms load --order-ids</c> reads and what
/// <c>oms venue --orders-out</c> writes (the harness reads the venue's seeded orders from it).
/// </summary>
/// <remarks>Blank lines and lines starting with <c>#</c> are skipped. Stateless; any thread.</remarks>
internal static class OrderIdsFile
{
    /// <summary>Reads the orders of <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limit">The most orders to read; negative for all.</param>
    /// <param name="check">Says why a line's (symbol, order id) cannot be cancelled, or null when it can; null to accept all.</param>
    /// <returns>The orders in file order; lines with the same symbol as the line before share its string.</returns>
    /// <exception cref="FormatException">A line is not two fields, or <paramref name="check"/> refused it; the message starts with <c>path:line:</c>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static List<(string Symbol, string OrderId)> Read(string path, int limit = -1, Func<string, string, string?>? check = null)
    {
        var orders = new List<(string Symbol, string OrderId)>();
        var lineNumber = 0;
        foreach (var text in File.ReadLines(path))
        {
            lineNumber++;
            if (limit >= 0 && orders.Count >= limit)
            {
                break;
            }

            var line = text.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                throw new FormatException($"{path}:{lineNumber}: expected 'symbol orderId'");
            }

            if (check?.Invoke(parts[0], parts[1]) is { } refusal)
            {
                throw new FormatException($"{path}:{lineNumber}: {refusal}");
            }

            // A seeded venue writes millions of lines with one symbol: one string for all of them, not one a line.
            var symbol = orders.Count > 0 && orders[^1].Symbol == parts[0] ? orders[^1].Symbol : parts[0];
            orders.Add((symbol, parts[1]));
        }

        return orders;
    }
}
