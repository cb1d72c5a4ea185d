namespace Oms.Testing.RawPeer;

/// <summary>
/// The named ways a raw peer misbehaves, one table for the transport, engine and CLI tests that run a client against
/// it: each name is a theory case, and <see cref="Peer"/> is the peer that misbehaves so.
/// </summary>
internal static class PeerMisbehaviour
{
    public const string EndlessBodies = "endless bodies on every stream";
    public const string GoAwayAfterTheFirstAnswer = "GOAWAY after the first answer on every connection";
    public const string ViolationAfterTheFirstAnswer = "a protocol violation after the first answer on every connection";
    public const string CloseAfterSettings = "a close right after SETTINGS on every connection";
    public const string EndlessContinuation = "endless CONTINUATION frames on every answer";
    public const string NoAnswerOnTheFirstConnection = "no answer at all on the first connection";
    public const string UpperCaseFieldNames = "malformed answers (upper-case field names)";

    /// <summary>The misbehaviours that end every connection the client makes.</summary>
    public static readonly string[] EndingEveryConnection = [GoAwayAfterTheFirstAnswer, ViolationAfterTheFirstAnswer, CloseAfterSettings];

    /// <summary>Every misbehaviour: a whole engine run must survive each with every intent decided.</summary>
    public static readonly string[] All =
    [
        EndlessBodies, GoAwayAfterTheFirstAnswer, ViolationAfterTheFirstAnswer, CloseAfterSettings, EndlessContinuation,
        NoAnswerOnTheFirstConnection, UpperCaseFieldNames,
    ];

    /// <summary>The options of a raw peer that misbehaves so.</summary>
    /// <param name="misbehaviour">One of the names above.</param>
    /// <param name="answer">The body of the answers the peer does send; the peer's default when null.</param>
    public static RawPeerOptions Peer(string misbehaviour, byte[]? answer = null)
    {
        var body = answer ?? new RawPeerOptions().ResponseBody;
        return misbehaviour switch
        {
            EndlessBodies => new RawPeerOptions { ResponseBody = body, Reply = _ => RawPeerReply.EndlessBody },
            GoAwayAfterTheFirstAnswer => new RawPeerOptions { ResponseBody = body, Reply = _ => RawPeerReply.AnswerThenGoAway },
            ViolationAfterTheFirstAnswer => new RawPeerOptions { ResponseBody = body, Reply = _ => RawPeerReply.AnswerThenViolate },
            CloseAfterSettings => new RawPeerOptions { ResponseBody = body, Opening = RawPeerOpening.Close },
            EndlessContinuation => new RawPeerOptions { ResponseBody = body, Reply = _ => RawPeerReply.EndlessHeaderBlock },
            NoAnswerOnTheFirstConnection => new RawPeerOptions
            {
                ResponseBody = body, AnswerPings = true, Reply = c => c.ConnectionIndex == 0 ? RawPeerReply.Hold : RawPeerReply.Answer,
            },
            UpperCaseFieldNames => new RawPeerOptions { ResponseBody = body, Reply = _ => RawPeerReply.UpperCaseFieldName },
            _ => throw new ArgumentOutOfRangeException(nameof(misbehaviour), misbehaviour, "unknown misbehaviour"),
        };
    }
}
