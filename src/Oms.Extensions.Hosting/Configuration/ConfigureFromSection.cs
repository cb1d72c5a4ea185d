using Microsoft.Extensions.Options;

namespace Oms.Extensions.Hosting.Configuration;

/// <summary>Fills <see cref="CancelEngineOptions"/> from the engine's configuration section; what is wrong waits for validation.</summary>
internal sealed class ConfigureFromSection(IConfiguration section, bool credentialsFromCallback) : IConfigureOptions<CancelEngineOptions>
{
    public void Configure(CancelEngineOptions options)
    {
        var (settings, errors) = EngineConfigurationReader.Read(section, credentialsFromCallback);
        options.Settings = settings;
        options.ConfigurationErrors = errors;
    }
}
