namespace Oms.Transport.Tests.Support;

/// <summary>
/// A <see cref="RecordingResponseHandler"/> that also keeps the name of the thread each token's outcome arrived on:
/// tests of who reads a connection (its own reader thread, or the thread that polls its socket) look at it.
/// </summary>
/// <param name="capacity">Tokens recorded: [0, capacity).</param>
/// <param name="onResponse">Runs first in each answer's callback, on the reading thread (a test holds that thread there).</param>
internal sealed class ThreadRecordingHandler(int capacity, Action<long>? onResponse = null) : IHttp2ResponseHandler
{
    private readonly string?[] _threads = new string?[capacity];

    /// <summary>The outcomes, as the plain recording handler keeps them.</summary>
    public RecordingResponseHandler Outcomes { get; } = new(capacity);

    /// <summary>The name of the thread <paramref name="token"/>'s first outcome arrived on; null while it has none.</summary>
    public string? ThreadOf(long token) => Volatile.Read(ref _threads[token]);

    public void OnResponse(long token, in Http2ResponseHead head, ReadOnlySpan<byte> body)
    {
        onResponse?.Invoke(token);
        Note(token);
        Outcomes.OnResponse(token, head, body);
    }

    public void OnFailure(long token, Http2StreamFailure failure)
    {
        Note(token);
        Outcomes.OnFailure(token, failure);
    }

    // Before the outcome is recorded: a test that sees the outcome sees the thread too.
    private void Note(long token)
    {
        if ((ulong)token < (ulong)_threads.Length)
        {
            Interlocked.CompareExchange(ref _threads[token], Thread.CurrentThread.Name ?? "unnamed", null);
        }
    }
}
