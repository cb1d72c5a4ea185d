using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Oms.Venue.Handling;

/// <summary>Reads a request body whole, up to a limit, for the endpoints that take one.</summary>
internal static class RequestBodyReader
{
    /// <summary>The whole body; null as soon as it grows past <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
