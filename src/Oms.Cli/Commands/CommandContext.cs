namespace Oms.Cli.Commands;

/// <summary>What a command may touch of the outside world: its streams, its environment, its stop signal.</summary>
internal sealed record CommandContext(TextWriter Output, TextWriter Error, Func<string, string?> Environment, CancellationToken Stop)
{
    public const string ApiKeyVariable = "ASCENDEX_API_KEY";
    public const string ApiSecretVariable = "ASCENDEX_API_SECRET";

    /// <summary>The credentials from the environment, or a usage error naming what is missing (never the values).</summary>
    public Oms.Engine.Signing.ApiCredentials ReadCredentials()
    {
        var key = Environment(ApiKeyVariable);
        var secret = Environment(ApiSecretVariable);
        if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret))
        {
            var missing = string.Join(" and ", new[] { (ApiKeyVariable, key), (ApiSecretVariable, secret) }.Where(v => string.IsNullOrEmpty(v.Item2)).Select(v => v.Item1));
            throw new UsageException($"missing credentials: set {missing} in the environment");
        }

        return new Oms.Engine.Signing.ApiCredentials(key, secret);
    }
}
