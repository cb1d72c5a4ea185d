namespace Oms.Engine.Tests.Sequencing;

/// <summary>A ring event that says who published it and in which order.</summary>
internal struct TestEvent
{
    public int ProducerId;
    public long Counter;
}
