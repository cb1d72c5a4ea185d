namespace Oms.Cli;

/// <summary>The command line or the configuration is wrong: the program prints the message on one line and exits 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
