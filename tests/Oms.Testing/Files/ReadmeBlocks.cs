using System.Text.RegularExpressions;

namespace Oms.Testing.Files;

/// <summary>One fenced <c>bash</c> block of the root README and the test its marker says runs it.</summary>
/// <param name="Test">The test file named by the marker (<c>&lt;!-- run by FILE: NAME --&gt;</c>) on the line above the fence; null without one.</param>
/// <param name="Name">The block's name in that marker; null without one.</param>
/// <param name="Body">The block's text between the fences, ending with a line break.</param>
/// <param name="Line">The 1-based line of the opening fence, for messages.</param>
public sealed record ReadmeBlock(string? Test, string? Name, string Body, int Line);

/// <summary>
/// The root README's shell blocks, found by the marker a block carries on the line above its fence, so a test runs the
/// text a reader pastes and the README says which test that is.
/// </summary>
public static partial class ReadmeBlocks
{
    /// <summary>The README as text, line breaks normalised to <c>\n</c>.</summary>
    public static string Text() => File.ReadAllText(Path.Combine(Repository.Root(), "README.md")).ReplaceLineEndings("\n");

    /// <summary>Every fenced <c>bash</c> block of the README, in order, with its marker when it has one.</summary>
    public static IReadOnlyList<ReadmeBlock> All()
    {
        var text = Text();
        var blocks = new List<ReadmeBlock>();
        foreach (Match fence in BashFence().Matches(text))
        {
            var bodyStart = fence.Index + fence.Length;
            var end = text.IndexOf("\n```", bodyStart - 1, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new InvalidOperationException("A bash block of the README is not closed.");
            }

            var line = 1 + text.AsSpan(0, fence.Index).Count('\n');
            var marker = MarkerAbove(text, fence.Index);
            blocks.Add(new ReadmeBlock(marker?.Groups["test"].Value, marker?.Groups["name"].Value, text[bodyStart..(end + 1)], line));
        }

        return blocks;
    }

    /// <summary>The block whose marker names <paramref name="test"/> and <paramref name="name"/>; throws when there is none or several.</summary>
    public static string Get(string test, string name)
    {
        var found = All().Where(block => block.Test == test && block.Name == name).ToList();
        return found.Count == 1
            ? found[0].Body
            : throw new InvalidOperationException($"The README has {found.Count} bash blocks marked '<!-- run by {test}: {name} -->', not one.");
    }

    private static Match? MarkerAbove(string text, int fenceIndex)
    {
        if (fenceIndex == 0)
        {
            return null;
        }

        var previousStart = text.LastIndexOf('\n', fenceIndex - 2) + 1;
        var match = Marker().Match(text[previousStart..(fenceIndex - 1)]);
        return match.Success ? match : null;
    }

    [GeneratedRegex(@"(?m)^```bash\n")]
    private static partial Regex BashFence();

    [GeneratedRegex(@"^<!-- run by (?<test>[^:\s]+): (?<name>[a-z-]+) -->$")]
    private static partial Regex Marker();
}
