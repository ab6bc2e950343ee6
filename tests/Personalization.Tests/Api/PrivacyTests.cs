using System.Net;
using System.Net.Http.Json;
using System.Text;
using Personalization.Grains.Users;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>Erase, export, opt-out and retention, checked over HTTP and in the store itself.</summary>
public abstract class PrivacyTests(IGatewayHost gateway, IStoreInspector store)
{
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task Export_lists_every_event_and_erase_leaves_no_trace_in_the_store()
    {
        var (user, eventIds) = await UserWithHistoryAsync();

        var export = await _client.GetOkAsync($"/v1/users/{user}/export");
        Assert.Equal(eventIds.Order(), export["interactions"]!.AsArray().Select(e => (string)e!["eventId"]!).Order());
        Assert.True((bool)export["consent"]!["personalization"]!);
        Assert.NotEmpty(export["vector"]!.AsArray());
        // Stored, but sealed with the person's key: not even the live rows show the ids.
        Assert.True(await store.JournalRowsAsync(user) > 0);
        var before = await store.DumpAsync();
        Assert.All(eventIds, id => AssertAbsent(before, id));

        using (var erased = await _client.DeleteAsync($"/v1/users/{user}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        }

        var dump = await store.DumpAsync();
        foreach (var secret in eventIds.Append(user))
        {
            AssertAbsent(dump, secret);
        }

        Assert.Equal(0, await store.JournalRowsAsync(user));
        var profile = await _client.GetOkAsync($"/v1/users/{user}");
        Assert.Equal(0, (long)profile["interactionCount"]!);
        Assert.True((bool)profile["consent"]!["personalization"]!);
        Assert.Empty((await _client.GetOkAsync($"/v1/users/{user}/export"))["interactions"]!.AsArray());
    }

    [Fact]
    public async Task After_opting_out_only_the_choice_is_stored_and_answers_are_the_non_personalized_ones()
    {
        var (user, eventIds) = await UserWithHistoryAsync();
        var optedOutBefore = await OptedOutStatesAsync();

        using (var optOut = await _client.PutAsJsonAsync($"/v1/users/{user}/consent", new { personalization = false }))
        {
            Assert.Equal(HttpStatusCode.OK, optOut.StatusCode);
        }

        await _client.PostEventsAsync(new { eventId = Catalog.NewId("after"), userId = user, itemId = "privacy-item-1", type = "purchase" });

        // In the database: no journal row, and one more user state that holds the choice and nothing else.
        Assert.Equal(0, await store.JournalRowsAsync(user));
        var optedOut = await OptedOutStatesAsync();
        Assert.Equal(optedOutBefore.Count + 1, optedOut.Count);
        Assert.All(optedOut, s => Assert.True(s.Vector.Length == 0 && s.Interactions.Count == 0 && s.Seen.Count == 0 &&
            s.Sessions.Count == 0 && s.InteractionCount == 0 && s.CategoryAffinity.Count == 0 && s.LastSeen is null));
        var dump = await store.DumpAsync();
        Assert.All(eventIds, id => AssertAbsent(dump, id));

        var newcomer = Catalog.NewId("newcomer");
        Assert.Equal(await _client.RecommendAsync(newcomer, "count=20"), await _client.RecommendAsync(user, "count=20"));
        var profile = await _client.GetOkAsync($"/v1/users/{user}");
        Assert.False((bool)profile["consent"]!["personalization"]!);
        Assert.Equal(0, (long)profile["interactionCount"]!);

        using (var optIn = await _client.PutAsJsonAsync($"/v1/users/{user}/consent", new { personalization = true }))
        {
            Assert.Equal(HttpStatusCode.OK, optIn.StatusCode);
        }

        await _client.PostEventsAsync(new { userId = user, itemId = "privacy-item-2", type = "click" });
        profile = await _client.GetOkAsync($"/v1/users/{user}");
        Assert.True((bool)profile["consent"]!["personalization"]!);
        Assert.Equal(1, (long)profile["interactionCount"]!);
    }

    [Fact]
    public async Task Interactions_older_than_the_retention_age_are_not_kept()
    {
        var user = Catalog.NewId("retention");
        var old = DateTimeOffset.UtcNow - TestSettings.RetentionMaxAge - TimeSpan.FromDays(1);
        await _client.PostEventsAsync(
            new { eventId = Catalog.NewId("old"), userId = user, itemId = "privacy-item-1", type = "click", timestamp = old },
            new { eventId = Catalog.NewId("new"), userId = user, itemId = "privacy-item-2", type = "click" });

        var interactions = (await _client.GetOkAsync($"/v1/users/{user}/export"))["interactions"]!.AsArray();

        Assert.Equal(["privacy-item-2"], interactions.Select(e => (string)e!["itemId"]!));
        Assert.Equal(0, await store.JournalRowsAsync(user));
    }

    [Theory]
    [InlineData("""{"personalization":"no"}""", "personalization")]
    [InlineData("""{}""", "personalization")]
    [InlineData("""[{"personalization":false}]""", "$")]
    [InlineData("""{"personalization":""", "$")]
    public async Task A_bad_consent_body_gets_400(string body, string key)
    {
        using var response = await _client.PutAsync("/v1/users/someone/consent", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync())["errors"]!.AsObject().ContainsKey(key));
    }

    [Fact]
    public async Task Export_and_erase_need_the_admin_role()
    {
        using var export = await gateway.Client(ApiKeys.Ingest).GetAsync("/v1/users/someone/export");
        using var erase = await gateway.Client(ApiKeys.Ingest).DeleteAsync("/v1/users/someone");
        using var consent = await gateway.Client(ApiKeys.Read).PutAsJsonAsync("/v1/users/someone/consent", new { personalization = false });

        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, erase.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, consent.StatusCode);
    }

    /// <summary>A user with a few events in two sessions; event ids are distinctive so that the store can be searched.</summary>
    private async Task<(string User, string[] EventIds)> UserWithHistoryAsync()
    {
        var user = Catalog.NewId("person");
        var eventIds = Enumerable.Range(0, 6).Select(_ => Catalog.NewId("evt")).ToArray();
        await _client.PostEventsAsync([.. eventIds.Select((id, i) => (object)new
        {
            eventId = id,
            userId = user,
            itemId = $"privacy-item-{i}",
            type = i % 2 == 0 ? "click" : "purchase",
            sessionId = $"s{i / 3}",
        })]);
        return (user, eventIds);
    }

    private async Task<List<UserState>> OptedOutStatesAsync() => [.. (await store.Secrets.UserStatesAsync()).Where(s => s.PersonalizationOff)];

    /// <summary>Neither the text, nor the hex (either case) or base64 of its UTF-8 bytes, is in the store.</summary>
    private static void AssertAbsent(string dump, string value)
    {
        foreach (var form in Forms(value))
        {
            Assert.DoesNotContain(form, dump, StringComparison.Ordinal);
        }
    }

    private static string[] Forms(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return [value, Convert.ToHexStringLower(bytes), Convert.ToHexString(bytes), Convert.ToBase64String(bytes)];
    }
}

[Collection(GatewayCollection.Name)]
public sealed class StandalonePrivacyTests(GatewayFactory gateway) : PrivacyTests(gateway, gateway.Store);

[Collection(PostgresGatewayCollection.Name)]
public sealed class ClusterPrivacyTests(PostgresGatewayCluster cluster) : PrivacyTests(cluster, cluster.Store);
