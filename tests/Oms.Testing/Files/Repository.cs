namespace Oms.Testing.Files;

/// <summary>The repository a test runs from, for tests that read its README, settings file or samples.</summary>
public static class Repository
{
    /// <summary>The directory holding <c>Oms.slnx</c>, found by walking up from the test's output directory.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Oms.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Oms.slnx not found above the test directory.");
    }
}
