using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using Oms.Engine.Confirmation.WebSockets;
using Oms.Transport.Connections;

namespace Oms.Engine.Confirmation;

/// <summary>Making one connection of the order stream: our HTTP/2 tunnel first, the runtime's HTTP/1.1 WebSocket when the venue has no RFC 8441.</summary>
internal sealed partial class OrderStream
{
    private void RunConnection(ref bool connectedBefore, ref ConnectionEnding ending)
    {
        var headers = SignedHeaders();
        using (var socket = new TunnelWebSocket(new Http2Tunnel()))
        {
            Interlocked.Exchange(ref _socket, socket);
            try
            {
                if (_stop.IsCancellationRequested || !TryOpenTunnel(socket.Tunnel, headers, out var outcome))
                {
                    return;
                }

                if (outcome == TunnelOutcome.Open)
                {
                    OnOpened(StreamTransport.Http2Tunnel, ref connectedBefore);
                    Receive(socket, ref ending);
                    return;
                }
            }
            finally
            {
                Interlocked.CompareExchange(ref _socket, null, socket);
            }
        }

        RunFallback(headers, ref connectedBefore, ref ending);
    }

    // False when the attempt failed (counted and described) or ended in a refusal; true with the outcome otherwise.
    private bool TryOpenTunnel(Http2Tunnel tunnel, IReadOnlyList<KeyValuePair<string, string>> headers, out TunnelOutcome outcome)
    {
        string host = _streamUri.IdnHost;
        var request = new TunnelRequest(
            host, _streamUri.Port, _tls, _pinned, _streamUri.IsDefaultPort ? host : $"{host}:{_streamUri.Port}", _streamUri.PathAndQuery, headers);
        try
        {
            outcome = tunnel.Open(request, s_connectTimeout);
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _connectFailures);
            _lastFailure = "cannot connect the stream: " + (e is TimeoutException ? $"no answer within {s_connectTimeout.TotalSeconds:0} s" : Describe(e));
            outcome = default;
            return false;
        }

        if (outcome != TunnelOutcome.Refused)
        {
            return true;
        }

        Interlocked.Increment(ref _connectFailures);
        _lastFailure = $"the venue refused the stream's upgrade: HTTP {tunnel.ResponseStatusCode}";
        return false;
    }

    // The venue serves WebSockets over HTTP/1.1 only (or not at all): the runtime's client, one upgrade per connection.
    private void RunFallback(IReadOnlyList<KeyValuePair<string, string>> headers, ref bool connectedBefore, ref ConnectionEnding ending)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = s_connectTimeout,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            SslOptions = PinnedCertificateAuthority.CreateClientOptions(_streamUri.IdnHost, _pinned, onPolicyErrors: null),
        };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        var client = new ClientWebSocket();
        client.Options.HttpVersion = HttpVersion.Version11;
        client.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        client.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers)
        {
            client.Options.SetRequestHeader(name, value);
        }

        using var socket = new BlockingWebSocket(client);
        Interlocked.Exchange(ref _socket, socket);
        try
        {
            if (_stop.IsCancellationRequested || !TryConnect(client, invoker))
            {
                return;
            }

            OnOpened(StreamTransport.Http11Fallback, ref connectedBefore);
            Receive(socket, ref ending);
        }
        finally
        {
            Interlocked.CompareExchange(ref _socket, null, socket);
        }
    }

    private void OnOpened(StreamTransport transport, ref bool connectedBefore)
    {
        Volatile.Write(ref _transport, (int)transport);
        if (connectedBefore)
        {
            Interlocked.Increment(ref _reconnects);
        }

        connectedBefore = true;
    }

    private bool TryConnect(ClientWebSocket client, HttpMessageInvoker invoker)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(s_connectTimeout);
        try
        {
            client.ConnectAsync(_streamUri, invoker, timeout.Token).GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _connectFailures);
            _lastFailure = client.HttpStatusCode != 0
                ? $"the venue refused the stream's upgrade: HTTP {(int)client.HttpStatusCode}"
                : "cannot connect the stream: " + (e is OperationCanceledException ? $"no answer within {s_connectTimeout.TotalSeconds:0} s" : Describe(e));
            return false;
        }
    }

    // Signed afresh for each connection: the venue accepts a timestamp within 30 s of its clock.
    private KeyValuePair<string, string>[] SignedHeaders()
    {
        long timestampMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Span<byte> timestamp = stackalloc byte[CancelSigner.TimestampLength];
        Span<byte> signature = stackalloc byte[CancelSigner.SignatureLength];
        CancelSigner.TryWriteTimestamp(timestampMs, timestamp, out _);
        _signer.TryComputeSignature(timestampMs, signature, out _);
        return
        [
            new(OrderStreamProtocol.KeyHeader, _credentials.ApiKey),
            new(OrderStreamProtocol.TimestampHeader, Encoding.ASCII.GetString(timestamp)),
            new(OrderStreamProtocol.SignatureHeader, Encoding.ASCII.GetString(signature)),
        ];
    }
}
