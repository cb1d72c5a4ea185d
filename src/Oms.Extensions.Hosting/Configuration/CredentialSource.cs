namespace Oms.Extensions.Hosting.Configuration;

/// <summary>Where the engine's credentials come from: the configuration section's <c>credentials</c>, or the application's callback.</summary>
/// <remarks>Asked once, when the host starts the engine; the engine keeps them. Nothing here formats or logs them.</remarks>
internal sealed class CredentialSource(IConfiguration section, Func<IServiceProvider, CancellationToken, ValueTask<ApiCredentials>>? callback)
{
    public async ValueTask<ApiCredentials> GetAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (callback is null)
        {
            return EngineConfigurationReader.ReadCredentials(section);
        }

        return await callback(services, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The credentials callback given to AddCancelEngine returned null.");
    }
}
