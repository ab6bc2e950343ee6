using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>
/// Input that is not what the API reads: other media types get 415, text that is not Unicode and absurd timestamps get
/// 400 naming the field, answers stay small, and nothing of a refused request is applied.
/// </summary>
public abstract class StrictInputTests(IGatewayHost gateway)
{
    /// <summary>Stands for one byte that is not UTF-8 (a lead byte without its continuation).</summary>
    private const string BadByte = "<C3>";

    private readonly HttpClient _client = gateway.Client();

    [Theory]
    [InlineData("POST", "/v1/events", null)]
    [InlineData("POST", "/v1/events", "text/plain")]
    [InlineData("POST", "/v1/events", "application/x-www-form-urlencoded")]
    [InlineData("POST", "/v1/events", "application/xml")]
    [InlineData("POST", "/v1/events", "application/merge-patch+json")]
    [InlineData("POST", "/v1/events", "application/json; charset=iso-8859-1")]
    [InlineData("POST", "/v1/items", "text/plain")]
    [InlineData("POST", "/v1/items/import", "application/json")]
    [InlineData("POST", "/v1/items/import", null)]
    [InlineData("PUT", "/v1/users/{id}/consent", "multipart/form-data; boundary=x")]
    public async Task A_body_of_another_media_type_gets_415_naming_the_expected_one_and_nothing_is_applied(string method, string path, string? contentType)
    {
        var id = Catalog.NewId("media");
        var body = path switch
        {
            "/v1/events" => $$"""[{"userId":"{{id}}","itemId":"{{id}}","type":"click"}]""",
            "/v1/items" => $$"""[{"id":"{{id}}"}]""",
            "/v1/items/import" => $$"""{"id":"{{id}}"}""",
            _ => """{"personalization":false}""",
        };

        using var response = await SendAsync(method, path.Replace("{id}", id), Encoding.UTF8.GetBytes(body), contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains(path == "/v1/items/import" ? "application/x-ndjson" : "application/json", (string)(await response.ProblemAsync())["detail"]!);
        await AssertNothingAppliedAsync(id);
    }

    [Fact]
    public async Task Json_with_an_explicit_utf8_charset_is_accepted()
    {
        var user = Catalog.NewId("charset");

        using var response = await SendAsync("POST", "/v1/events", Encoding.UTF8.GetBytes($$"""[{"userId":"{{user}}","itemId":"i","type":"click"}]"""), "application/json; charset=UTF-8");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string, string, string> MisEncoded => new()
    {
        { "/v1/events", """[{"userId":"{id}","itemId":"i","type":"click"},{"userId":"\ud800","itemId":"i","type":"click"}]""", "application/json", "[1].userId" },
        { "/v1/events", """[{"userId":"{id}","itemId":"i","type":"click"},{"userId":"u","itemId":"i","type":"cl\udc00ick"}]""", "application/json", "[1].type" },
        { "/v1/events", """[{"userId":"{id}","itemId":"i","type":"click","\ud83d":1}]""", "application/json", "[0]" },
        { "/v1/events", """[{"userId":"{id}","itemId":"i<C3>","type":"click"}]""", "application/json", "[0].itemId" },
        { "/v1/items", """[{"id":"{id}","categories":["Horror","\udfff"]}]""", "application/json", "[0].categories[1]" },
        { "/v1/items", """[{"id":"{id}","tags":["<C3>"]}]""", "application/json", "[0].tags[0]" },
        { "/v1/items", """[{"id":"{id}","cat<C3>":["x"]}]""", "application/json", "[0]" },
        { "/v1/items/import", "{\"id\":\"{id}\"}\n{\"id\":\"\\ud800\"}\n", "application/x-ndjson", "[1].id" },
        { "/v1/items/import", "{\"id\":\"{id}\"}\n{\"id\":\"x\",\"<C3>\":1}\n", "application/x-ndjson", "[1]" },
        { "/v1/users/{id}/consent", """{"personalization":false,"\ud800":1}""", "application/json", "$" },
        { "/v1/users/{id}/consent", """{"personalization":"<C3>"}""", "application/json", "personalization" },
    };

    [Theory]
    [MemberData(nameof(MisEncoded))]
    public async Task Text_that_is_not_unicode_gets_400_naming_its_path_and_nothing_is_applied(string path, string body, string contentType, string key)
    {
        var id = Catalog.NewId("encoding");
        var bytes = Encoding.UTF8.GetBytes(body.Replace("{id}", id)).AsSpan();
        var marker = Encoding.UTF8.GetBytes(BadByte);
        var at = bytes.IndexOf(marker);
        byte[] raw = at < 0 ? bytes.ToArray() : [.. bytes[..at], 0xC3, .. bytes[(at + marker.Length)..]];

        using var response = await SendAsync(path.Contains("consent") ? "PUT" : "POST", path.Replace("{id}", id), raw, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ProblemAsync())["errors"]!.AsObject();
        Assert.Equal([key], errors.Select(e => e.Key));
        await AssertNothingAppliedAsync(id);
    }

    [Fact]
    public async Task A_timestamp_beyond_the_allowed_clock_skew_gets_400_and_one_within_it_is_accepted()
    {
        var user = Catalog.NewId("future");
        var soon = DateTimeOffset.UtcNow.AddMinutes(30).ToString("O");

        using var rejected = await PostAsync("/v1/events", $$"""[{"userId":"{{user}}","itemId":"i","type":"click"},{"userId":"{{user}}","itemId":"i","type":"click","timestamp":"9999-12-31T23:59:59Z"}]""");
        var profile = await _client.GetOkAsync($"/v1/users/{user}");
        using var accepted = await PostAsync("/v1/events", $$"""[{"userId":"{{user}}","itemId":"i","type":"click","timestamp":"{{soon}}"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal(["[1].timestamp"], (await rejected.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, (long)profile["interactionCount"]!);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_body_of_many_bad_fields_gets_a_small_answer_listing_100_errors_and_counting_the_rest()
    {
        var bad = $$"""{"eventId":"a b","userId":"a b","itemId":"a b","sessionId":"a b","recommendationId":"a b","type":"nope","value":"x","timestamp":"never","pad":"{{new string('0', 170)}}"}""";
        var body = $"[{string.Join(',', Enumerable.Repeat(bad, 1000))}]";

        using var response = await PostAsync("/v1/events", body);
        var answer = await response.Content.ReadAsStringAsync();

        Assert.True(body.Length > 300_000, $"the body is {body.Length} bytes");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(answer.Length < 16_000, $"the answer is {answer.Length} bytes");
        var errors = (await response.ProblemAsync())["errors"]!.AsObject();
        Assert.Equal(100, errors.Where(e => e.Key != "$").Sum(e => e.Value!.AsArray().Count));
        Assert.Contains("7900 more errors", (string)errors["$"]![0]!);
    }

    [Fact]
    public async Task An_import_declaring_more_than_512_MiB_gets_413_before_sending_its_body()
    {
        using var request = await RawRequest.StartAsync(_client, "/v1/items/import", "application/x-ndjson", declaredLength: 600L << 20);

        Assert.Equal(413, await request.StatusAsync());
    }

    private async Task AssertNothingAppliedAsync(string id)
    {
        using var item = await _client.GetAsync($"/v1/items/{id}");
        var profile = await _client.GetOkAsync($"/v1/users/{id}");

        Assert.Equal(HttpStatusCode.NotFound, item.StatusCode);
        Assert.Equal(0, (long)profile["interactionCount"]!);
        Assert.True((bool)profile["consent"]!["personalization"]!);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        SendAsync("POST", path, Encoding.UTF8.GetBytes(body), "application/json");

    private Task<HttpResponseMessage> SendAsync(string method, string path, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = content });
    }
}

/// <summary>
/// A request HttpClient will not send: a Content-Length its body does not hold. It asks for <c>100 Continue</c>, which
/// the server sends when the handler first reads the body: the signal that the handler has started.
/// </summary>
public sealed class RawRequest : IDisposable
{
    private readonly TcpClient _tcp = new();
    private StreamReader _answer = null!;

    public static async Task<RawRequest> StartAsync(HttpClient client, string path, string contentType, long declaredLength)
    {
        var request = new RawRequest();
        var address = client.BaseAddress!;
        await request._tcp.ConnectAsync(address.Host, address.Port);
        var key = client.DefaultRequestHeaders.GetValues("X-Api-Key").Single();
        await request._tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nX-Api-Key: {key}\r\nContent-Type: {contentType}\r\n"
            + $"Content-Length: {declaredLength}\r\nExpect: 100-continue\r\n\r\n"));
        request._answer = new StreamReader(request._tcp.GetStream(), Encoding.ASCII);
        return request;
    }

    /// <summary>The status of the next answer (100 first, once the handler reads the body).</summary>
    public async Task<int> StatusAsync()
    {
        var line = await _answer.ReadLineAsync() ?? throw new IOException("The connection closed without an answer.");
        while (await _answer.ReadLineAsync() is { Length: > 0 })
        {
        }

        return int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task SendAsync(byte[] body) => await _tcp.GetStream().WriteAsync(body);

    public void Dispose() => _tcp.Dispose();
}

[Collection(GatewayCollection.Name)]
public sealed class StandaloneStrictInputTests(GatewayFactory gateway) : StrictInputTests(gateway);

[Collection(PostgresGatewayCollection.Name)]
public sealed class ClusterStrictInputTests(PostgresGatewayCluster cluster) : StrictInputTests(cluster);
