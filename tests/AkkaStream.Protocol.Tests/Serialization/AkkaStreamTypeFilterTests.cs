using AkkaStream.Protocol.Messages;
using AkkaStream.Protocol.Serialization;

namespace AkkaStream.Protocol.Tests.Serialization;

public sealed class AkkaStreamTypeFilterTests
{
    private static readonly AkkaStreamTypeFilter Filter = new();

    [Theory]
    [InlineData(typeof(MetadataResponse))]
    [InlineData(typeof(List<TopicMetadata>))]
    [InlineData(typeof(Dictionary<string, List<int>>))]
    [InlineData(typeof(PartitionMetadata[]))]
    [InlineData(typeof(Guid))]
    [InlineData(typeof(int?))]
    public void Our_types_and_the_collections_holding_them_are_allowed(Type type)
    {
        Assert.True(Filter.IsAllowed(type.AssemblyQualifiedName!));
    }

    [Theory]
    [InlineData("AkkaStream.Protocol.Messages.MetadataResponse, AkkaStream.Protocol")]
    [InlineData("System.Collections.Generic.List`1[[AkkaStream.Protocol.Messages.TopicMetadata, AkkaStream.Protocol]],%core%")]
    [InlineData("System.String,%core%")]
    public void Hyperion_short_names_are_allowed(string name)
    {
        Assert.True(Filter.IsAllowed(name));
    }

    [Theory]
    [InlineData(typeof(Outside.Denied))]
    [InlineData(typeof(List<Outside.Denied>))]
    [InlineData(typeof(Dictionary<string, Outside.Denied>))]
    [InlineData(typeof(Outside.Denied[]))]
    [InlineData(typeof(System.IO.FileInfo))]
    [InlineData(typeof(Type))]
    public void Other_types_are_refused_even_inside_allowed_generics(Type type)
    {
        Assert.False(Filter.IsAllowed(type.AssemblyQualifiedName!));
    }

    [Theory]
    [InlineData("AkkaStream.Protocol.Messages.MetadataResponse, Evil.Assembly")]
    [InlineData("System.Diagnostics.Process, System.Diagnostics.Process")]
    [InlineData("System.String, Evil")]
    [InlineData("System.Collections.Generic.List`1[[System.String,%core%]")]
    [InlineData("AkkaStream.X\\, Y, AkkaStream.Protocol")]
    [InlineData("")]
    public void Forged_or_malformed_names_are_refused(string name)
    {
        Assert.False(Filter.IsAllowed(name));
    }
}
