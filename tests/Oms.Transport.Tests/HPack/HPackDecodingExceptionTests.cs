namespace Oms.Transport.Tests.HPack;

public class HPackDecodingExceptionTests
{
    [Fact]
    public void Constructor_EachError_CarriesErrorAndDistinctMessage()
    {
        // Arrange
        HPackError[] errors = Enum.GetValues<HPackError>().Where(e => e != HPackError.None).ToArray();

        // Act
        HPackDecodingException[] exceptions = errors.Select(e => new HPackDecodingException(e)).ToArray();

        // Assert
        Assert.Equal(errors, exceptions.Select(e => e.Error));
        Assert.All(exceptions, e => Assert.StartsWith("HPACK: ", e.Message, StringComparison.Ordinal));
        Assert.Equal(errors.Length, exceptions.Select(e => e.Message).Distinct().Count());
    }

    [Fact]
    public void Constructor_MessageOnly_CarriesNone()
    {
        // Act
        var exception = new HPackDecodingException("broken", new InvalidOperationException());

        // Assert
        Assert.Equal(HPackError.None, exception.Error);
        Assert.Equal("broken", exception.Message);
        Assert.IsType<InvalidOperationException>(exception.InnerException);
    }
}
