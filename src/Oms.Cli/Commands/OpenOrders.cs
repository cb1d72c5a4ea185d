using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Oms.Engine;
using Oms.Engine.Signing;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Cli.Commands;

/// <summary>
/// Asks the venue which orders of the account are open (<c>oms load --open-orders</c>): one signed HTTP/2 GET with
/// <see cref="HttpClient"/>, off the engine's path, trusting the system store or the pinned CA as the engine does.
/// </summary>
internal static class OpenOrders
{
    public static async Task<IReadOnlyList<(string Symbol, string OrderId)>> FetchAsync(
        CancelEngineSettings settings, ApiCredentials credentials, CancellationToken stop)
    {
        using var handler = new SocketsHttpHandler();
        if (settings.CaCertificatePath is { } caFile)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedByPinnedRoots(certificate, errors, roots);
        }

        using var client = new HttpClient(handler) { Timeout = settings.RequestTimeout + TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.BaseUrl, OpenOrdersQuery.Path(settings.AccountGroup)))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        foreach (var (name, value) in OpenOrdersQuery.Headers(credentials, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request, stop).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(stop).ConfigureAwait(false);
        return OpenOrdersQuery.ParseAnswer(body);
    }

    // The host name must still match; only the chain is checked against the pinned roots instead of the system store.
    private static bool TrustedByPinnedRoots(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is not X509Certificate2 leaf)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        return chain.Build(leaf);
    }
}
