using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Oms.Engine.Tests.Support.ContractBodies;
using static Oms.Engine.Tests.Venues.AscendEx.ParserOracle;

namespace Oms.Engine.Tests.Venues.AscendEx;

/// <summary>
/// Properties of <see cref="CancelResponseParser"/> over generated bodies: random bytes, byte-level mutations of
/// the contract's bodies, valid bodies with unknown fields added, and the same bodies cut into segments.
/// </summary>
public sealed class CancelResponseParserPropertyTests
{
    // The reader's default depth limit (JsonReaderOptions.MaxDepth 0 means 64).
    private const int ReaderMaxDepth = 64;

    private static readonly CancelResponseParser s_v1 = new(CancelProfile.V1);
    private static readonly CancelResponseParser s_v2 = new(CancelProfile.V2);

    private static readonly ValidBody[] s_validBodies =
    [
        new(nameof(V1Ack), s_v1, V1Ack),
        new(nameof(V1AckContract), s_v1, V1AckContract),
        new(nameof(V1Err), s_v1, V1Err),
        new(nameof(AuthFailed), s_v1, AuthFailed),
        new(nameof(AuthFailed) + "V2", s_v2, AuthFailed),
        new(nameof(V2Ack), s_v2, V2Ack),
        new(nameof(V2Err), s_v2, V2Err),
    ];

    // Every name the parser looks for at some level: an added field never uses one of them.
    private static readonly HashSet<string> s_knownNames = ["code", "status", "reason", "message", "info", "data", "meta", "id"];

    private static readonly JsonSerializerOptions s_compact = new() { WriteIndented = false };
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    private static readonly string[] s_jsonTokens =
    [
        "{", "}", "[", "]", ":", ",", "\"code\"", "\"data\"", "\"info\"", "\"meta\"", "\"id\"", "\"status\"",
        "\"reason\"", "\"message\"", "\"Ack\"", "\"Err\"", "\"INVALID_ORDER_ID\"", "0", "-0", "300006", "-1", "1e400",
        "0.0", "99999999999999999999", "null", "true", "false", "\"\\u00", "\"\\uD800\"", "\"\\u0063ode\"", "\\", "\"",
        "/*", "*/", "//", "\n", " ", "\"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm\"", "\u00e9", "\u0001",
    ];

    private static readonly string[] s_unknownNames =
    [
        "Code", "codes", "cod", "Data", "Status", "ID", "Id", "ids", "infos", "metadata", "Reason", "msg", "x", "",
        "accountId", "order", "symbol", "\u00e9t\u00e9", "a\"b", "c\\d", "code ",
    ];

    private static readonly Gen<byte[]> s_jsonLikeBytes =
        from first in Gen.Elements("{", "[", " {", "\r\n[")
        from tokens in Gen.Choose(0, 200).SelectMany(count => Gen.ArrayOf(Gen.Elements(s_jsonTokens), count))
        select Encoding.UTF8.GetBytes(first + string.Concat(tokens));

    private static readonly Gen<byte[]> s_randomBodies = Gen.Frequency(
        (3, PropertyHarness.Json.Bytes(PropertyHarness.MaxInputLength)),
        (2, PropertyHarness.Json.Bytes(PropertyHarness.MaxInputLength).Select(b => b.Length == 0 ? b : [(byte)'{', .. b[1..]])),
        (3, s_jsonLikeBytes));

    private static readonly Gen<ValidBody> s_validBody = Gen.Elements(s_validBodies);

    private static readonly Gen<(ValidBody Body, byte[] Mutant)> s_mutants =
        from body in s_validBody
        from mutant in PropertyHarness.Json.Mutated(body.Bytes)
        select (body, mutant);

    private static readonly Gen<long> s_nonZeroCode = Gen.Frequency(
        (1, Gen.Elements(1L, -1L, 300006L, 200001L, 100014L, 510001L, long.MaxValue, long.MinValue)),
        (2, Gen.Choose(int.MinValue, int.MaxValue).Select(i => (long)i)),
        (1, from high in Gen.Choose(int.MinValue, int.MaxValue)
            from low in Gen.Choose(int.MinValue, int.MaxValue)
            select ((long)high << 32) | (uint)low))
        .Where(code => code != 0);

    private static readonly Gen<Augmented> s_augmented =
        from body in s_validBody
        from insertions in Gen.Choose(0, 8).SelectMany(count => Gen.ArrayOf(Insertion(), count))
        from shuffleSeed in Gen.Choose(0, int.MaxValue)
        from shuffle in Gen.Elements(true, false)
        from indented in Gen.Elements(true, false)
        select new Augmented(body, insertions, shuffle ? shuffleSeed : null, indented);

    [Property(MaxTest = 2000)]
    public Property Parse_RandomBytes_NeverThrowsAndStaysWithinItsInputs()
    {
        Gen<(byte[] Body, Scratch Scratch)> cases = s_randomBodies.Zip(Scratch.Gen);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            foreach (CancelResponseParser parser in new[] { s_v1, s_v2 })
            {
                Scratch scratch = c.Scratch.Fresh();
                CancelResponse response = parser.Parse(c.Body, scratch.Reason, scratch.Message, scratch.Diagnostic);

                AssertConsistent(c.Body, response, scratch);
                AssertAckOnlyForCodeZero(c.Body, response);
            }
        }));
    }

    [Property(MaxTest = 2000)]
    public Property Parse_MutatedValidBody_NeverThrowsAndNeverAcksANonZeroCode()
    {
        Gen<((ValidBody Body, byte[] Mutant) Mutation, Scratch Scratch)> cases = s_mutants.Zip(Scratch.Gen);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            foreach (CancelResponseParser parser in new[] { s_v1, s_v2 })
            {
                Scratch scratch = c.Scratch.Fresh();
                CancelResponse response = parser.Parse(c.Mutation.Mutant, scratch.Reason, scratch.Message, scratch.Diagnostic);

                AssertConsistent(c.Mutation.Mutant, response, scratch);
                AssertAckOnlyForCodeZero(c.Mutation.Mutant, response);
            }
        }));
    }

    [Property(MaxTest = 1000)]
    public Property Parse_ValidBodyWithUnknownFieldsAdded_KeepsKindCodeReasonAndEchoedId()
    {
        return Prop.ForAll(s_augmented.ToArbitrary(), augmented => PropertyHarness.RunBounded(() =>
        {
            ValidBody original = augmented.Body;
            byte[] body = augmented.Render();

            Summary expected = Summary.Of(original.Parser.Parse(original.Bytes, [], [], []));
            Summary actual = Summary.Of(original.Parser.Parse(body, [], [], []));

            Assert.True(expected == actual, $"{original.Name}: expected {expected}, got {actual} for {Encoding.UTF8.GetString(body)}");
        }));
    }

    [Property(MaxTest = 1000)]
    public Property Parse_ValidBodyWithNonZeroCode_IsErrWithThatCodeAndTheSameEchoedId()
    {
        Gen<(Augmented Augmented, long Code)> cases = s_augmented.Zip(s_nonZeroCode);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            ValidBody original = c.Augmented.Body;
            byte[] body = c.Augmented.Render(c.Code);

            CancelResponse before = original.Parser.Parse(original.Bytes, [], [], []);
            CancelResponse after = original.Parser.Parse(body, [], [], []);

            string context = $"{original.Name} with code {c.Code}: {Encoding.UTF8.GetString(body)}";
            Assert.True(after.Kind == CancelResponseKind.Err, $"{after.Kind} for {context}");
            Assert.True(after.HasCode && after.Code == c.Code, $"code {after.Code} for {context}");
            Assert.True(before.EchoedId.SequenceEqual(after.EchoedId) && before.HasEchoedId == after.HasEchoedId, $"echoed id changed for {context}");
            Assert.NotEqual(VenueErrorClass.Acked, after.ErrorClass);
        }));
    }

    [Property(MaxTest = 1000)]
    public Property Parse_StrictPrefixOfValidBody_IsTruncatedOrEmpty()
    {
        Gen<(byte[] Body, int Length)> cases =
            from augmented in s_augmented
            let body = augmented.Render()
            from length in Gen.Choose(0, body.Length - 1)
            select (body, length);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            byte[] prefix = c.Body[..c.Length];
            bool blank = prefix.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) < 0;

            foreach (CancelResponseParser parser in new[] { s_v1, s_v2 })
            {
                CancelResponse response = parser.Parse(prefix, [], [], []);

                CancelResponseKind expected = blank ? CancelResponseKind.Empty : CancelResponseKind.Truncated;
                Assert.True(expected == response.Kind, $"{response.Kind} for {Encoding.UTF8.GetString(prefix)}");
            }
        }));
    }

    [Property(MaxTest = 1000)]
    public Property Parse_SequenceCutAtRandomPoints_MatchesSpan()
    {
        Gen<byte[]> bodies = Gen.OneOf(
            s_randomBodies,
            s_mutants.Select(m => m.Mutant),
            s_augmented.Select(a => a.Render()));
        Gen<(byte[] Body, int[] Cuts, Scratch Scratch)> cases =
            from body in bodies
            from cuts in PropertyHarness.CutPoints(body.Length)
            from scratch in Scratch.Gen
            select (body, cuts, scratch);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            ReadOnlySequence<byte> sequence = PropertyHarness.Split(c.Body, c.Cuts);

            foreach (CancelResponseParser parser in new[] { s_v1, s_v2 })
            {
                Scratch fromSpan = c.Scratch.Fresh();
                Scratch fromSequence = c.Scratch.Fresh();
                CancelResponse expected = parser.Parse(c.Body, fromSpan.Reason, fromSpan.Message, fromSpan.Diagnostic);
                CancelResponse actual = parser.Parse(sequence, fromSequence.Reason, fromSequence.Message, fromSequence.Diagnostic);

                Assert.Equal(Describe(expected, fromSpan), Describe(actual, fromSequence));
                AssertConsistent(c.Body, actual, fromSequence);
            }
        }));
    }

    [Property(MaxTest = 300)]
    public Property Parse_NestedContainers_DepthAloneDecidesKind()
    {
        Gen<(int Depth, bool Objects, bool Closed, int[] Cuts)> cases =
            from depth in Gen.Frequency((3, Gen.Choose(1, 2 * ReaderMaxDepth)), (1, Gen.Choose(1, 10_000)))
            from objects in Gen.Elements(true, false)
            from closed in Gen.Elements(true, false)
            from cuts in PropertyHarness.CutPoints(NestedLength(depth, objects, closed))
            select (depth, objects, closed, cuts);

        return Prop.ForAll(cases.ToArbitrary(), c => PropertyHarness.RunBounded(() =>
        {
            byte[] body = Nested(c.Depth, c.Objects, c.Closed);
            CancelResponseKind expected = c.Depth > ReaderMaxDepth ? CancelResponseKind.Malformed
                : c.Closed ? CancelResponseKind.UnknownShape
                : CancelResponseKind.Truncated;

            CancelResponse fromSpan = s_v1.Parse(body, [], [], []);
            CancelResponse fromSequence = s_v2.Parse(PropertyHarness.Split(body, c.Cuts), [], [], []);

            Assert.Equal(expected, fromSpan.Kind);
            Assert.Equal(expected, fromSequence.Kind);
        }));
    }

    [Theory]
    [InlineData("", "[")]
    [InlineData("", "{\"a\":")]
    [InlineData("", "{\"data\":")]
    [InlineData("{\"code\":0,\"x\":", "[")]
    public void Parse_TenThousandOpenContainers_IsMalformed(string prefix, string opener)
    {
        string text = prefix + string.Concat(Enumerable.Repeat(opener, 10_000));
        byte[] body = Encoding.UTF8.GetBytes(text);
        CancelResponse fromSpan = default;
        CancelResponse fromSequence = default;

        PropertyHarness.RunBounded(() =>
        {
            fromSpan = s_v1.Parse(body, [], [], new byte[16]);
            fromSequence = s_v1.Parse(SegmentedSequence.SplitAt(body, body.Length / 3), [], [], new byte[16]);
        });

        Assert.Equal(CancelResponseKind.Malformed, fromSpan.Kind);
        Assert.Equal(CancelResponseKind.Malformed, fromSequence.Kind);
        Assert.Equal(16, fromSpan.DiagnosticBytesCopied);
    }

    private static string Describe(CancelResponse r, Scratch scratch) => string.Join(
        "|",
        r.Kind,
        r.BodyLength,
        r.HasCode,
        r.Code.ToString(CultureInfo.InvariantCulture),
        r.Status,
        r.Reason,
        r.HasEchoedId,
        r.EchoedIdLength,
        Convert.ToHexString(r.EchoedId),
        r.ReasonLength,
        Convert.ToHexString(scratch.Reason, 0, r.ReasonBytesCopied),
        r.MessageLength,
        Convert.ToHexString(scratch.Message, 0, r.MessageBytesCopied),
        Convert.ToHexString(scratch.Diagnostic, 0, r.DiagnosticBytesCopied));

    private static byte[] Nested(int depth, bool objects, bool closed)
    {
        var text = new StringBuilder();
        text.Insert(0, objects ? "{\"a\":" : "[", depth);
        text.Append('1');
        if (closed)
        {
            text.Append(objects ? '}' : ']', depth);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static int NestedLength(int depth, bool objects, bool closed) =>
        ((objects ? 5 : 1) * depth) + 1 + (closed ? depth : 0);

    private static Gen<FieldInsertion> Insertion() =>
        from target in Gen.Choose(0, int.MaxValue)
        from position in Gen.Choose(0, int.MaxValue)
        from name in Gen.Elements(s_unknownNames)
        from value in JsonValueText(3)
        select new FieldInsertion(target, position, name, value);

    // JSON text for an unknown field's value. Objects reuse the names the parser looks for, to show that what
    // an unknown field holds is never read.
    private static Gen<string> JsonValueText(int depth)
    {
        Gen<string> scalar = Gen.OneOf(
            Gen.Elements("null", "true", "false", "0", "-1", "1.5e3", "300006", "99999999999999999999", "-0.0"),
            Gen.Elements("Ack", "Err", "WRONG_ID", "", "a\"b\\c", "line\nbreak", "\u00e9\u4e2d\ud83d\ude00", "\u0001")
                .Select(s => JsonSerializer.Serialize(s)));
        if (depth == 0)
        {
            return scalar;
        }

        Gen<string> array = Gen.Choose(0, 3)
            .SelectMany(count => Gen.ArrayOf(JsonValueText(depth - 1), count))
            .Select(items => "[" + string.Join(",", items) + "]");
        Gen<string> member =
            from name in Gen.Elements("code", "status", "data", "info", "meta", "id", "reason", "k")
            from value in JsonValueText(depth - 1)
            select JsonSerializer.Serialize(name) + ":" + value;
        Gen<string> obj = Gen.Choose(0, 3)
            .SelectMany(count => Gen.ArrayOf(member, count))
            .Select(members => "{" + string.Join(",", members.DistinctBy(m => m[..m.IndexOf("\":", StringComparison.Ordinal)])) + "}");
        return Gen.Frequency((3, scalar), (1, array), (1, obj));
    }

    private sealed record ValidBody(string Name, CancelResponseParser Parser, string Text)
    {
        public byte[] Bytes { get; } = Encoding.UTF8.GetBytes(Text);

        public override string ToString() => Name;
    }

    private sealed record FieldInsertion(int Target, int Position, string Name, string ValueJson);

    // A valid body re-rendered with unknown fields inserted into its objects (top level, data, info, meta,
    // order), optionally with every object's fields shuffled and the whole indented.
    private sealed record Augmented(ValidBody Body, FieldInsertion[] Insertions, int? ShuffleSeed, bool Indented)
    {
        public byte[] Render(long? code = null)
        {
            JsonObject root = JsonNode.Parse(Body.Text, documentOptions: DocumentOptions)!.AsObject();
            List<JsonObject> objects = [];
            Collect(root, objects);

            foreach (FieldInsertion insertion in Insertions)
            {
                JsonObject target = objects[insertion.Target % objects.Count];
                string name = insertion.Name;
                while (target.ContainsKey(name) || s_knownNames.Contains(name))
                {
                    name += "_";
                }

                target.Insert(insertion.Position % (target.Count + 1), name, JsonNode.Parse(insertion.ValueJson));
            }

            if (ShuffleSeed is int seed)
            {
                var random = new Random(seed);
                foreach (JsonObject target in objects)
                {
                    KeyValuePair<string, JsonNode?>[] fields = [.. target];
                    target.Clear();
                    random.Shuffle(fields);
                    foreach ((string name, JsonNode? value) in fields)
                    {
                        target.Add(name, value);
                    }
                }
            }

            if (code is long newCode)
            {
                root["code"] = newCode;
            }

            return Encoding.UTF8.GetBytes(root.ToJsonString(Indented ? s_indented : s_compact));
        }

        public override string ToString() =>
            $"{Body.Name} +{Insertions.Length} fields{(ShuffleSeed is null ? string.Empty : ", shuffled")}{(Indented ? ", indented" : string.Empty)}";

        private static void Collect(JsonObject node, List<JsonObject> objects)
        {
            objects.Add(node);
            foreach ((string _, JsonNode? child) in node)
            {
                if (child is JsonObject inner)
                {
                    Collect(inner, objects);
                }
            }
        }
    }

    // The fields that must survive added unknown fields: the verdict and what correlation needs.
    private readonly record struct Summary(CancelResponseKind Kind, bool HasCode, long Code, VenueStatus Status, VenueReason Reason, bool HasEchoedId, string EchoedId)
    {
        public static Summary Of(CancelResponse r) =>
            new(r.Kind, r.HasCode, r.Code, r.Status, r.Reason, r.HasEchoedId, Convert.ToHexString(r.EchoedId));
    }
}
