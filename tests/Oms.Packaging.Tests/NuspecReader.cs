namespace Oms.Packaging.Tests;

/// <summary>A package opened as the zip it is, with its .nuspec read; element names are matched without their namespace (it changes with the features a package uses).</summary>
internal sealed class NuspecReader : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly XElement _metadata;

    public NuspecReader(string path)
    {
        _zip = ZipFile.OpenRead(path);
        var nuspec = _zip.Entries.Single(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.Name.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        _metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    /// <summary>The text of metadata element <paramref name="name"/>, or null.</summary>
    public string? Value(string name) => Element(name)?.Value;

    /// <summary>Metadata element <paramref name="name"/>, or null.</summary>
    public XElement? Element(string name) => _metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);

    /// <summary>Every element named <paramref name="name"/> under the metadata, at any depth.</summary>
    public IEnumerable<XElement> Descendants(string name) => _metadata.Descendants().Where(e => e.Name.LocalName == name);

    /// <summary>The paths of the files the package holds.</summary>
    public IEnumerable<string> Files => _zip.Entries.Select(e => e.FullName);

    /// <summary>The text of file <paramref name="path"/> in the package.</summary>
    public string ReadText(string path)
    {
        using var reader = new StreamReader(_zip.GetEntry(path)!.Open());
        return reader.ReadToEnd();
    }

    public void Dispose() => _zip.Dispose();
}
