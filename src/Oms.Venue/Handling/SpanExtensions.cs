namespace Oms.Venue.Handling;

internal static class SpanExtensions
{
    public static bool ContainsOnlyAsciiLettersOrDigits(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool ContainsOnlyAsciiDigits(this ReadOnlySpan<char> text) => text.IndexOfAnyExceptInRange('0', '9') < 0;
}
