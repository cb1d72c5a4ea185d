using FsCheck;
using FsCheck.Fluent;

namespace Oms.Engine.Tests.Venues.AscendEx;

/// <summary>What the response parser's property tests hold every result to, whatever body it was given.</summary>
internal static class ParserOracle
{
    internal static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    // What holds for every result, whatever the body: a defined kind, counts within the spans and the body,
    // copied texts taken from the body, and the verdict fields in line with the kind.
    internal static void AssertConsistent(byte[] body, CancelResponse response, Scratch scratch)
    {
        string context = $"{response.Kind} for {Convert.ToHexString(body)}";
        Assert.True(Enum.IsDefined(response.Kind) && response.Kind != CancelResponseKind.None, context);
        Assert.True(response.BodyLength == body.Length, context);

        Assert.InRange(response.ReasonBytesCopied, 0, Math.Min(scratch.Reason.Length, response.ReasonLength));
        Assert.InRange(response.MessageBytesCopied, 0, Math.Min(scratch.Message.Length, response.MessageLength));
        Assert.InRange(response.ReasonLength, 0, body.Length);
        Assert.InRange(response.MessageLength, 0, body.Length);
        Assert.True(Occurs(body, scratch.Reason.AsSpan(0, response.ReasonBytesCopied)), "reason not from the body: " + context);
        Assert.True(Occurs(body, scratch.Message.AsSpan(0, response.MessageBytesCopied)), "message not from the body: " + context);

        Assert.InRange(response.EchoedIdLength, 0, body.Length);
        Assert.Equal(Math.Min(response.EchoedIdLength, CancelResponse.MaxEchoedIdLength), response.EchoedId.Length);
        Assert.True(response.HasEchoedId || response.EchoedIdLength == 0, context);

        switch (response.Kind)
        {
            case CancelResponseKind.Ack:
                Assert.True(response.HasCode && response.Code == 0 && response.Reason == VenueReason.None, context);
                Assert.Equal(VenueErrorClass.Acked, response.ErrorClass);
                Assert.Equal(0, response.DiagnosticBytesCopied);
                break;
            case CancelResponseKind.Err:
                Assert.True((response.HasCode && response.Code != 0) || response.Status == VenueStatus.Err, context);
                Assert.NotEqual(VenueErrorClass.Acked, response.ErrorClass);
                Assert.NotEqual(VenueErrorClass.Undetermined, response.ErrorClass);
                Assert.Equal(0, response.DiagnosticBytesCopied);
                break;
            case CancelResponseKind.Empty:
                Assert.Equal(VenueErrorClass.Undetermined, response.ErrorClass);
                Assert.Equal(0, response.DiagnosticBytesCopied);
                break;
            default:
                Assert.Equal(VenueErrorClass.Undetermined, response.ErrorClass);
                int expected = Math.Min(body.Length, scratch.Diagnostic.Length);
                Assert.Equal(expected, response.DiagnosticBytesCopied);
                Assert.True(body.AsSpan(0, expected).SequenceEqual(scratch.Diagnostic.AsSpan(0, expected)), context);
                break;
        }
    }

    // The oracle is System.Text.Json's own document parser: an Ack needs a body that is valid JSON whose last
    // top-level "code" is the integer 0 and whose last top-level "status" is not "Err" (the parser, too, lets a
    // repeated field's last occurrence win).
    internal static void AssertAckOnlyForCodeZero(byte[] body, CancelResponse response)
    {
        if (response.Kind != CancelResponseKind.Ack)
        {
            return;
        }

        string context = "Ack for " + Encoding.UTF8.GetString(body);
        using JsonDocument document = ParseOrFail(body, context);
        Assert.True(document.RootElement.ValueKind == JsonValueKind.Object, context);
        JsonElement? code = null;
        JsonElement? status = null;
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            if (NameIs(property, "code"))
            {
                code = property.Value;
            }
            else if (NameIs(property, "status"))
            {
                status = property.Value;
            }
        }

        Assert.True(code is { ValueKind: JsonValueKind.Number } c && c.TryGetInt64(out long value) && value == 0, context);
        Assert.False(status is { ValueKind: JsonValueKind.String } s && s.ValueEquals("Err"), context);
    }

    internal static JsonDocument ParseOrFail(byte[] body, string context)
    {
        try
        {
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException exception)
        {
            Assert.Fail($"{context} is not valid JSON: {exception.Message}");
            throw;
        }
    }

    internal static bool NameIs(JsonProperty property, string name)
    {
        try
        {
            return property.NameEquals(name);
        }
        catch (InvalidOperationException)
        {
            // An escaped name that decodes to a lone surrogate equals no ASCII name.
            return false;
        }
    }

    internal static bool Occurs(byte[] body, ReadOnlySpan<byte> text) => text.IsEmpty || body.AsSpan().IndexOf(text) >= 0;

    // The caller's spans for reason, message and diagnostic, of random sizes so truncation is exercised.
    internal sealed record Scratch(int ReasonSize, int MessageSize, int DiagnosticSize)
    {
        public static Gen<Scratch> Gen { get; } =
            from reason in FsCheck.Fluent.Gen.Choose(0, 80)
            from message in FsCheck.Fluent.Gen.Choose(0, 80)
            from diagnostic in FsCheck.Fluent.Gen.Choose(0, 80)
            select new Scratch(reason, message, diagnostic);

        public byte[] Reason { get; private init; } = [];

        public byte[] Message { get; private init; } = [];

        public byte[] Diagnostic { get; private init; } = [];

        public Scratch Fresh() => this with
        {
            Reason = new byte[ReasonSize],
            Message = new byte[MessageSize],
            Diagnostic = new byte[DiagnosticSize],
        };
    }
}
