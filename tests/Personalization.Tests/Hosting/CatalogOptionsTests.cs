using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalization.Interfaces;
using Personalization.Silo.Hosting;

namespace Personalization.Tests.Hosting;

public sealed class CatalogOptionsTests
{
    [Theory]
    [InlineData(10_000_000, 4, 2_500_000)]
    [InlineData(10, 4, 3)]
    [InlineData(1, 4, 1)]
    [InlineData(int.MaxValue, 3, 715_827_883)]
    public void Each_shard_holds_an_even_share_of_the_cap_rounded_up(int maxItems, int shards, int share)
    {
        var options = new CatalogOptions { MaxItems = maxItems, ShardCount = shards };

        Assert.Equal(share, options.ShardCapacity);
        Assert.True((long)options.ShardCapacity * shards >= maxItems);
    }

    [Fact]
    public void A_cap_below_one_item_stops_the_host_with_a_message_naming_the_key()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection([new("Catalog:MaxItems", "0")]).Build())
            .AddPersonalizationModelOptions()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CatalogOptions>>().Value);

        Assert.Contains("Catalog:MaxItems", error.Message);
    }
}
