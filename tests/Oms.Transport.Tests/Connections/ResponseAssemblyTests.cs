using Oms.Transport.Tests.Http2;

namespace Oms.Transport.Tests.Connections;

public sealed class ResponseAssemblyTests
{
    [Fact]
    public void TryAppend_PiecesAcrossSegments_BodyIsTheirConcatenation()
    {
        var response = new ResponseAssembly(new ResponseAssembly.SpareBuffers());
        response.Begin(5, new ReceiveWindow(65_535));

        Assert.True(response.TryAppend(SegmentedSequence.FromSegments([1, 2], [3]), 1024));
        Assert.True(response.TryAppend(new ReadOnlySequence<byte>([4, 5, 6]), 1024));

        Assert.Equal(5, response.StreamId);
        Assert.Equal([1, 2, 3, 4, 5, 6], response.Body.ToArray());
    }

    [Fact]
    public void TryAppend_BeyondTheLimit_RefusesAfterFillingTheBodyToTheLimit()
    {
        var response = new ResponseAssembly(new ResponseAssembly.SpareBuffers());
        response.Begin(1, new ReceiveWindow(65_535));
        response.TryAppend(new ReadOnlySequence<byte>(new byte[1000]), 1024);

        var appended = response.TryAppend(new ReadOnlySequence<byte>(new byte[25]), 1024);

        Assert.False(appended);
        Assert.Equal(1024, response.BodyLength);
    }

    [Fact]
    public void Begin_AfterAnEndedBody_StartsEmptyAndReusesTheSpareBuffer()
    {
        var response = new ResponseAssembly(new ResponseAssembly.SpareBuffers());
        response.Begin(1, new ReceiveWindow(65_535));
        response.TryAppend(new ReadOnlySequence<byte>(new byte[300]), 1 << 20);
        response.End();

        response.Begin(3, new ReceiveWindow(65_535));
        var data = new ReadOnlySequence<byte>(new byte[200]);
        var allocated = AllocationMeter.AllocatedBytes(() => response.TryAppend(data, 1 << 20));

        Assert.Equal(200, response.BodyLength);
        Assert.Equal(0, response.Status);
        Assert.False(response.HeadersComplete);
        Assert.Equal(65_535, response.Window.Available);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TryAppend_ManyStreamsOneAtATime_ShareOneSpareBufferAndAllocateNothingAfterTheFirst()
    {
        // Thousands of stream entries, each gathering a split body now and then: the spares lend the same buffer round.
        var spares = new ResponseAssembly.SpareBuffers();
        var entries = Enumerable.Range(0, 4096).Select(_ => new ResponseAssembly(spares)).ToArray();
        var body = new ReadOnlySequence<byte>(new byte[275]);
        entries[0].Begin(1, new ReceiveWindow(65_535));
        entries[0].TryAppend(body, 1 << 20);
        entries[0].End();

        var allocated = AllocationMeter.AllocatedBytes(() =>
        {
            for (var i = 1; i < entries.Length; i++)
            {
                entries[i].Begin((2 * i) + 1, new ReceiveWindow(65_535));
                entries[i].TryAppend(body, 1 << 20);
                entries[i].End();
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void End_AfterABodyLargerThanASpare_StartsTheNextEmpty()
    {
        var response = new ResponseAssembly(new ResponseAssembly.SpareBuffers());
        response.Begin(1, new ReceiveWindow(65_535));
        response.TryAppend(new ReadOnlySequence<byte>(Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray()), 1 << 20);
        Assert.Equal(3000, response.BodyLength);
        response.End();

        response.Begin(3, new ReceiveWindow(65_535));
        response.TryAppend(new ReadOnlySequence<byte>([7, 8, 9]), 1 << 20);

        Assert.Equal([7, 8, 9], response.Body.ToArray());
    }

    [Fact]
    public void ClosureOf_RememberedStream_SurvivesTheNextStreamOfTheEntryUntilThatOneCloses()
    {
        var response = new ResponseAssembly(new ResponseAssembly.SpareBuffers());
        response.Begin(5, new ReceiveWindow(65_535));
        response.RecordClosure(5, StreamClosure.EndStreamReceived);
        response.End();

        response.Begin(5 + 512, new ReceiveWindow(65_535));
        var whileTheNextIsOpen = response.ClosureOf(5);
        response.RecordClosure(5 + 512, StreamClosure.ResetReceived);

        Assert.Equal(StreamClosure.EndStreamReceived, whileTheNextIsOpen);
        Assert.Equal(StreamClosure.Unknown, response.ClosureOf(5));
        Assert.Equal(StreamClosure.ResetReceived, response.ClosureOf(5 + 512));
        Assert.Equal(StreamClosure.Unknown, response.ClosureOf(3));
    }
}
