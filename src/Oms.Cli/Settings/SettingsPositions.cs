using System.Text;
using System.Text.Json;

namespace Oms.Cli.Settings;

/// <summary>
/// Where each key of a settings text stands, as an editor counts it: line and column from 1, the column in characters
/// (not bytes). Errors about a key name the key's place; errors about broken JSON name the place the parser stopped.
/// </summary>
/// <remarks>
/// System.Text.Json counts lines and byte positions from 0 and keeps no position in a parsed <see cref="JsonElement"/>,
/// so the text is read once more here with a <see cref="Utf8JsonReader"/> to find the keys.
/// </remarks>
internal sealed class SettingsPositions
{
    private readonly byte[] _utf8;
    private readonly Dictionary<string, int> _keyOffsets = new(StringComparer.Ordinal);

    private SettingsPositions(byte[] utf8) => _utf8 = utf8;

    /// <summary>The place of the root value, for errors about the whole text.</summary>
    public (int Line, int Column) Root { get; private set; } = (1, 1);

    /// <summary>The positions of every key of <paramref name="text"/>, which must be valid JSON (comments and trailing commas allowed).</summary>
    public static SettingsPositions Index(string text)
    {
        var positions = new SettingsPositions(Encoding.UTF8.GetBytes(text));
        positions.IndexKeys();
        return positions;
    }

    /// <summary>
    /// Where the parser stopped on broken <paramref name="text"/>, from <paramref name="error"/>'s 0-based line and byte
    /// position; null when it gives none.
    /// </summary>
    public static (int Line, int Column)? OfError(string text, JsonException error)
    {
        if (error.LineNumber is not { } line || error.BytePositionInLine is not { } bytes)
        {
            return null;
        }

        // The parser counts a line at each '\n'; so does this.
        var lines = text.Split('\n');
        if (line >= lines.Length)
        {
            return ((int)line + 1, (int)bytes + 1);
        }

        var lineBytes = Encoding.UTF8.GetBytes(lines[line]);
        return ((int)line + 1, Encoding.UTF8.GetCharCount(lineBytes, 0, (int)Math.Min(bytes, lineBytes.Length)) + 1);
    }

    /// <summary>The message of <paramref name="error"/> without the parser's own 0-based "LineNumber: ... | BytePositionInLine: ..." tail.</summary>
    public static string MessageOf(JsonException error)
    {
        var cut = error.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut < 0 ? error.Message : error.Message[..cut]).TrimEnd();
    }

    /// <summary>The place of key <paramref name="path"/> (dotted: <c>engine.confirmation.deadlineMs</c>); its first occurrence when repeated.</summary>
    public (int Line, int Column) Of(string path) => _keyOffsets.TryGetValue(path, out var offset) ? PlaceOf(offset) : Root;

    private void IndexKeys()
    {
        var reader = new Utf8JsonReader(_utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

        // The dotted path of each open object or array; an array's elements have no key of their own, so keys inside
        // one are not indexed (the settings have none).
        var open = new Stack<string?>();
        string? pending = null;
        var first = true;
        while (reader.Read())
        {
            if (first)
            {
                Root = PlaceOf((int)reader.TokenStartIndex);
                first = false;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var parent = open.Count > 0 ? open.Peek() : null;
                    pending = parent is null ? null : (parent.Length == 0 ? "" : parent + ".") + reader.GetString();
                    if (pending is not null)
                    {
                        _keyOffsets.TryAdd(pending, (int)reader.TokenStartIndex);
                    }

                    break;
                case JsonTokenType.StartObject:
                    open.Push(open.Count == 0 ? "" : pending);
                    pending = null;
                    break;
                case JsonTokenType.StartArray:
                    open.Push(null);
                    pending = null;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.Pop();
                    break;
                default:
                    pending = null;
                    break;
            }
        }
    }

    private (int Line, int Column) PlaceOf(int offset)
    {
        var lineStart = _utf8.AsSpan(0, offset).LastIndexOf((byte)'\n') + 1;
        var line = _utf8.AsSpan(0, lineStart).Count((byte)'\n') + 1;
        return (line, Encoding.UTF8.GetCharCount(_utf8, lineStart, offset - lineStart) + 1);
    }
}
