using System.Net;
using System.Net.Http.Json;
using System.Text;
using Personalization.Gateway.Api;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>Every class of bad input gets a 4xx problem naming the problem, and nothing of the request is applied.</summary>
public abstract class BadInputTests(IGatewayHost gateway)
{
    private readonly HttpClient _client = gateway.Client();

    public static TheoryData<string, string, string> BadEvents => new()
    {
        { "unknown type", """{"userId":"u","itemId":"i","type":"teleport"}""", "[1].type" },
        { "missing user id", """{"itemId":"i","type":"click"}""", "[1].userId" },
        { "missing item id", """{"userId":"u","type":"click"}""", "[1].itemId" },
        { "missing type", """{"userId":"u","itemId":"i"}""", "[1].type" },
        { "malformed user id", """{"userId":"a b","itemId":"i","type":"click"}""", "[1].userId" },
        { "overlong item id", $$"""{"userId":"u","itemId":"{{new string('x', 257)}}","type":"click"}""", "[1].itemId" },
        { "malformed event id", """{"eventId":"e/1","userId":"u","itemId":"i","type":"click"}""", "[1].eventId" },
        { "id of the wrong type", """{"userId":7,"itemId":"i","type":"click"}""", "[1].userId" },
        { "rating out of range", """{"userId":"u","itemId":"i","type":"rating","value":7}""", "[1].value" },
        { "rating without value", """{"userId":"u","itemId":"i","type":"rating"}""", "[1].value" },
        { "non-finite number", """{"userId":"u","itemId":"i","type":"rating","value":1e400}""", "[1].value" },
        { "value on a click", """{"userId":"u","itemId":"i","type":"click","value":1}""", "[1].value" },
        { "bad timestamp", """{"userId":"u","itemId":"i","type":"click","timestamp":"yesterday"}""", "[1].timestamp" },
        { "not an object", "42", "[1]" },
        { "answer value above 1", """{"userId":"u","itemId":"i","type":"answer","value":1.5}""", "[1].value" },
        { "answer value below 0", """{"userId":"u","itemId":"i","type":"answer","value":-0.1}""", "[1].value" },
        { "answer without value", """{"userId":"u","itemId":"i","type":"answer"}""", "[1].value" },
        { "answer on an item with no skills", """{"userId":"u","itemId":"item-1","type":"answer","value":1}""", "[1].itemId" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task A_batch_with_one_bad_event_is_rejected_whole(string why, string badEvent, string path)
    {
        var user = Catalog.NewId("valid");
        var body = $$"""[{"userId":"{{user}}","itemId":"item-1","type":"click"},{{badEvent}}]""";

        using var response = await PostRawAsync("/v1/events", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        var errors = (await response.ProblemAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(path), $"{why}: errors were keyed {string.Join(", ", errors.Select(e => e.Key))}");
        Assert.Equal(0, (long)(await _client.GetOkAsync($"/v1/users/{user}"))["interactionCount"]!);
    }

    [Theory]
    [InlineData("{\"userId\":")]
    [InlineData("{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"click\"}")]
    [InlineData("[]")]
    [InlineData("")]
    public async Task A_body_that_is_not_a_nonempty_json_array_gets_400_keyed_at_the_root(string body)
    {
        using var response = await PostRawAsync("/v1/events", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync())["errors"]!.AsObject().ContainsKey("$"));
    }

    [Fact]
    public async Task More_than_1000_events_get_400_and_none_is_applied()
    {
        var user = Catalog.NewId("bulk");
        var events = Enumerable.Range(0, 1001).Select(i => new { userId = user, itemId = $"i{i}", type = "view" });

        using var response = await _client.PostAsJsonAsync("/v1/events", events);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (long)(await _client.GetOkAsync($"/v1/users/{user}"))["interactionCount"]!);
    }

    [Fact]
    public async Task A_body_over_1_MiB_gets_413()
    {
        var user = Catalog.NewId("big");
        var padding = new string('x', 1 << 20);
        using var response = await PostRawAsync("/v1/events", $$"""[{"userId":"{{user}}","itemId":"i","type":"click","pad":"{{padding}}"}]""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await response.ProblemAsync();
        Assert.Equal(0, (long)(await _client.GetOkAsync($"/v1/users/{user}"))["interactionCount"]!);
    }

    [Fact]
    public async Task A_bad_item_in_an_upsert_rejects_the_whole_batch()
    {
        var good = Catalog.NewId("good");
        using var response = await PostRawAsync("/v1/items", $$"""[{"id":"{{good}}"},{"id":"ok","categories":[""]},{"id":"x","active":"yes"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ProblemAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("[1].categories[0]"));
        Assert.True(errors.ContainsKey("[2].active"));
        using var lookup = await _client.GetAsync($"/v1/items/{good}");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Too_many_skills_a_malformed_skill_or_an_out_of_range_difficulty_reject_the_whole_batch()
    {
        var good = Catalog.NewId("good");
        var skills = string.Join(',', Enumerable.Range(0, 17).Select(i => $"\"s{i}\""));
        using var response = await PostRawAsync("/v1/items", $$"""
            [{"id":"{{good}}","skills":["s1"]},{"id":"a","skills":[{{skills}}]},{"id":"b","skills":["a b"]},{"id":"c","skills":["s"],"difficulty":11}]
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ProblemAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("[1].skills"));
        Assert.True(errors.ContainsKey("[2].skills"));
        Assert.True(errors.ContainsKey("[3].difficulty"));
        using var lookup = await _client.GetAsync($"/v1/items/{good}");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task A_bad_line_rejects_the_whole_import_and_the_corrected_import_applies_every_line()
    {
        var (first, second) = (Catalog.NewId("import"), Catalog.NewId("import"));
        var good = $$"""{"id":"{{first}}","categories":["Horror"]}""";
        var corrected = $$"""{"id":"{{second}}","tags":["80s"]}""";

        using var rejected = await PostRawAsync("/v1/items/import", $"{good}\n{{\"id\":\"bad id\"}}\n", "application/x-ndjson");
        using var malformed = await PostRawAsync("/v1/items/import", $"{good}\n{{nope\n", "application/x-ndjson");
        using var empty = await PostRawAsync("/v1/items/import", "\n \n", "application/x-ndjson");
        using var lookup = await _client.GetAsync($"/v1/items/{first}");
        using var imported = await PostRawAsync("/v1/items/import", $"{good}\n{corrected}\n", "application/x-ndjson");

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.True((await rejected.ProblemAsync())["errors"]!.AsObject().ContainsKey("[1].id"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var malformedErrors = (await malformed.ProblemAsync())["errors"]!.AsObject();
        Assert.Equal(["[1]"], malformedErrors.Select(e => e.Key));
        Assert.StartsWith("Line 2 is not valid JSON: ", (string)malformedErrors["[1]"]![0]!);
        Assert.DoesNotContain("LineNumber", (string)malformedErrors["[1]"]![0]!);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.ProblemAsync())["errors"]!.AsObject().ContainsKey("$"));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(["Horror"], (await _client.GetOkAsync($"/v1/items/{first}"))["categories"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["80s"], (await _client.GetOkAsync($"/v1/items/{second}"))["tags"]!.AsArray().Select(c => (string)c!));
    }

    [Fact]
    public async Task A_bad_last_line_rejects_an_import_longer_than_one_batch_and_nothing_of_its_first_batch_is_applied()
    {
        var ids = Enumerable.Range(0, ItemsApi.ImportBatch + 1).Select(_ => Catalog.NewId("bulk")).ToArray();
        // Inactive, so that the other tests of the collection never see these items in a list.
        var lines = ids.Select(id => $$"""{"id":"{{id}}","active":false}""").ToList();
        var body = string.Join('\n', lines);

        using var rejected = await PostRawAsync("/v1/items/import", body + "\n{\"id\":\"bad id\"}", "application/x-ndjson");
        using var lookup = await _client.GetAsync($"/v1/items/{ids[0]}");
        using var imported = await PostRawAsync("/v1/items/import", body, "application/x-ndjson");

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.True((await rejected.ProblemAsync())["errors"]!.AsObject().ContainsKey($"[{ids.Length}].id"));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(ids.Length, (int)(await imported.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["upserted"]!);
        using var last = await _client.GetAsync($"/v1/items/{ids[^1]}");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
    }

    [Theory]
    [InlineData("count=0", "count")]
    [InlineData("count=101", "count")]
    [InlineData("count=ten", "count")]
    [InlineData("explore=1.5", "explore")]
    [InlineData("explore=-0.1", "explore")]
    [InlineData("diversity=2", "diversity")]
    [InlineData("diversity=NaN", "diversity")]
    [InlineData("excludeSeen=maybe", "excludeSeen")]
    [InlineData("popularityPenalty=2", "popularityPenalty")]
    [InlineData("sessionId=a%20b", "sessionId")]
    [InlineData("goal=practice&targetSuccess=0", "targetSuccess")]
    [InlineData("goal=practice&targetSuccess=1", "targetSuccess")]
    [InlineData("goal=practice&targetSuccess=1.5", "targetSuccess")]
    [InlineData("goal=practice&targetSuccess=NaN", "targetSuccess")]
    [InlineData("goal=exam", "goal")]
    public async Task Out_of_range_query_parameters_get_400_naming_the_parameter(string query, string parameter)
    {
        using var response = await _client.GetAsync($"/v1/users/someone/recommendations?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync())["errors"]!.AsObject().ContainsKey(parameter));
    }

    [Fact]
    public async Task More_than_100_exclude_ids_get_400()
    {
        var exclude = string.Join(',', Enumerable.Range(0, 101).Select(i => $"i{i}"));
        using var response = await _client.GetAsync($"/v1/users/someone/recommendations?exclude={exclude}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync())["errors"]!.AsObject().ContainsKey("exclude"));
    }

    [Theory]
    [InlineData(101, "itemIds")]
    [InlineData(0, "itemIds")]
    public async Task Predictions_need_1_to_100_item_ids(int count, string parameter)
    {
        var itemIds = string.Join(',', Enumerable.Range(0, count).Select(i => $"i{i}"));
        using var response = await _client.GetAsync($"/v1/users/someone/predictions?itemIds={itemIds}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync())["errors"]!.AsObject().ContainsKey(parameter));
    }

    [Fact]
    public async Task A_malformed_id_in_the_path_gets_400()
    {
        using var response = await _client.GetAsync("/v1/users/bad%20id");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync())["errors"]!.AsObject().ContainsKey("userId"));
    }

    [Fact]
    public async Task A_repeated_event_id_counts_as_a_duplicate_only()
    {
        var user = Catalog.NewId("dup");
        var click = new { eventId = Catalog.NewId("e"), userId = user, itemId = "item-dup", type = "click" };

        var first = await _client.PostEventsAsync(click, click);
        var second = await _client.PostEventsAsync(click with { });

        Assert.Equal((1, 1), ((int)first["accepted"]!, (int)first["duplicates"]!));
        Assert.Equal((0, 1), ((int)second["accepted"]!, (int)second["duplicates"]!));
        Assert.Equal(1, (long)(await _client.GetOkAsync($"/v1/users/{user}"))["interactionCount"]!);
    }

    private Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType = "application/json") =>
        _client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));
}

[Collection(GatewayCollection.Name)]
public sealed class StandaloneBadInputTests(GatewayFactory gateway) : BadInputTests(gateway);

[Collection(PostgresGatewayCollection.Name)]
public sealed class ClusterBadInputTests(PostgresGatewayCluster cluster) : BadInputTests(cluster);
