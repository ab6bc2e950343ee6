using Personalization.Grains.Users;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Durability;

/// <summary>
/// Memory that follows active users, on a real gateway process: an idle user's grain is deactivated after
/// <c>Users:IdleDeactivation</c>, and its next request finds everything it held (from storage).
/// </summary>
public sealed class IdleUsersTests
{
    private const string User = "idle-user";

    /// <summary>Far longer than the idle time: the wait ends as soon as the grain is gone.</summary>
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_idle_user_is_deactivated_after_the_configured_time_and_comes_back_with_all_it_held()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string>(ApiKeys.Configuration) { [$"{UserActivationOptions.SectionName}:IdleDeactivation"] = "00:00:02" };
        await using var gateway = await TestHost.StandaloneGatewayAsync(data.Path, settings);
        var client = gateway.Client().WithKey(ApiKeys.Admin);
        var catalog = await Catalog.CreateAsync(client, categories: 2, perCategory: 6);
        var seen = catalog.ItemsIn(0)[..3];
        await client.PostEventsAsync([.. seen.Select((item, i) => (object)new { eventId = $"idle-{i}", userId = User, itemId = item, type = "like", sessionId = "s1" })]);
        var profile = (await client.GetOkAsync($"/v1/users/{User}")).ToJsonString();
        Assert.Equal(1, await ActiveUsersAsync(gateway));

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await ActiveUsersAsync(gateway) > 0)
        {
            Assert.True(waited.Elapsed < _patience, $"The idle user was still active after {_patience}.");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        // Back from storage: the same profile, the items it interacted with still excluded, its event ids still known.
        Assert.Equal(profile, (await client.GetOkAsync($"/v1/users/{User}")).ToJsonString());
        Assert.Equal(1, await ActiveUsersAsync(gateway));
        var recommended = await client.RecommendAsync(User, "count=20");
        Assert.NotEmpty(recommended);
        Assert.DoesNotContain(recommended, seen.Contains);
        var again = await client.PostEventsAsync(new { eventId = "idle-0", userId = User, itemId = seen[0], type = "like" });
        Assert.Equal(0, (int)again["accepted"]!);
        Assert.Equal(1, (int)again["duplicates"]!);
    }

    private static async Task<double> ActiveUsersAsync(TestHost gateway) =>
        (await MetricsScrape.FromAsync(gateway.BaseAddress!, ApiKeys.Admin)).Sum("personalization_users_active");
}
