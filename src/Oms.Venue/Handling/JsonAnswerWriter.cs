using Microsoft.AspNetCore.Http;

namespace Oms.Venue.Handling;

/// <summary>Writes the HTTP 200 JSON answer of the batch and cancel-all endpoints, which inject no answer faults.</summary>
internal static class JsonAnswerWriter
{
    public static Task WriteAsync(HttpContext context, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
