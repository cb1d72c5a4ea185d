namespace Oms.Transport.Tests.Connections;

/// <summary>
/// Connections that never come up: an error at once, nothing left open, and no faulted task left for the finalizer
/// to report (these run alone because that last check watches the whole process).
/// </summary>
[Collection(NonParallelCollection.Name)]
public sealed class TransportConnectorFailureTests
{
    [Fact]
    public async Task ConnectAsync_ClosedPort_ThrowsConnectionRefusedAndLeavesNothingBehind()
    {
        using var probe = new UnobservedExceptionProbe();
        var port = ClosedPort();
        using var counters = new TransportCounters();
        var options = new Http2ClientOptions { BaseUri = new Uri($"http://127.0.0.1:{port}"), ConnectionCount = 2, ConnectTimeout = TimeSpan.FromSeconds(30) };

        var error = await Assert.ThrowsAsync<Http2ConnectException>(() => Http2Client.ConnectAsync(options, new RecordingResponseHandler(1), counters));

        Assert.Contains("ConnectionRefused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("took longer", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTrustFailure);
        Assert.Equal(2, counters.ConnectFailures);
        Assert.Equal(0, counters.ConnectionsOpen);
        Assert.Empty(probe.CollectTransportExceptions());
    }

    [Fact]
    public async Task ConnectAsync_ServerThatNeverSpeaks_TimesOutWithAClearMessageAndNothingUnobserved()
    {
        // A listening socket nobody accepts from: TCP connects (the backlog takes it), the SETTINGS never come.
        using var probe = new UnobservedExceptionProbe();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var options = new Http2ClientOptions { BaseUri = new Uri($"http://127.0.0.1:{port}"), ConnectionCount = 1, ConnectTimeout = TimeSpan.FromMilliseconds(300) };

        var error = await Assert.ThrowsAsync<Http2ConnectException>(() => Http2Client.ConnectAsync(options, new RecordingResponseHandler(1)));

        Assert.Contains("took longer than 0.3 s", error.Message, StringComparison.Ordinal);
        Assert.Empty(probe.CollectTransportExceptions());
    }

    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
