namespace Oms.Engine.Tests.Orders;

public class CancelStateExtensionsTests
{
    [Fact]
    public void CanMoveTo_EveryPair_OnlyTheSevenDocumentedMovesAreLegal()
    {
        // Arrange
        var expected = new HashSet<(CancelState, CancelState)>
        {
            (CancelState.Queued, CancelState.Sent),
            (CancelState.Queued, CancelState.Expired),
            (CancelState.Queued, CancelState.Failed),
            (CancelState.Sent, CancelState.Acked),
            (CancelState.Sent, CancelState.Rejected),
            (CancelState.Sent, CancelState.Failed),
            (CancelState.Sent, CancelState.Queued),
        };

        // Act
        var legal = new HashSet<(CancelState, CancelState)>();
        for (int from = -1; from <= 9; from++)
        {
            for (int to = -1; to <= 9; to++)
            {
                if (((CancelState)from).CanMoveTo((CancelState)to))
                {
                    legal.Add(((CancelState)from, (CancelState)to));
                }
            }
        }

        // Assert
        Assert.Equal(expected, legal);
    }

    [Theory]
    [InlineData(CancelState.None, false, false)]
    [InlineData(CancelState.Queued, true, false)]
    [InlineData(CancelState.Sent, true, false)]
    [InlineData(CancelState.Acked, false, true)]
    [InlineData(CancelState.Rejected, false, true)]
    [InlineData(CancelState.Failed, false, true)]
    [InlineData(CancelState.Expired, false, true)]
    public void Classifiers_EachState_AreInFlightOrFinalOrNeither(CancelState state, bool inFlight, bool final)
    {
        // Arrange / Act / Assert
        Assert.Equal(inFlight, state.IsInFlight());
        Assert.Equal(final, state.IsFinal());
    }
}
