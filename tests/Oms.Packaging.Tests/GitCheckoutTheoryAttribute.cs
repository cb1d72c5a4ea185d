namespace Oms.Packaging.Tests;

/// <summary>
/// A theory about what git gives a build (the commit, SourceLink): in a source tree that is not a git checkout it is
/// reported skipped with the reason, never passed without running.
/// </summary>
public sealed class GitCheckoutTheoryAttribute : TheoryAttribute
{
    /// <inheritdoc />
    public override string? Skip
    {
        // A worktree's .git is a file naming its repository, a clone's a folder: either is a checkout.
        get => base.Skip ?? (Path.Exists(Path.Combine(Repository.Root(), ".git")) ? null : "The source tree is not a git checkout, so builds carry no commit or SourceLink.");
        set => base.Skip = value;
    }
}
