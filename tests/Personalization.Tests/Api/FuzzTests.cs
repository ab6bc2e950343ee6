using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>
/// Generated hostile input over every route and method of the real gateway, taken from the app's own endpoints so that
/// a new route is fuzzed too: no answer is a 5xx, every 4xx is a problem, nothing is logged as an error, the gateway
/// stays ready, and nothing of a refused request is applied. The seed is fixed, so a failure repeats; the gateway is one of its own (its collection
/// runs alone), so what the accepted cases create never reaches another test's lists.
/// </summary>
[Collection(SerialGatewayCollection.Name)]
public sealed partial class FuzzTests(GatewayFactory gateway)
{
    private const int Seed = 2026_12_02;
    private const int MaxCases = 3000;
    private static readonly TimeSpan _budget = TimeSpan.FromSeconds(60);

    private static readonly string[] _fields =
        ["id", "userId", "itemId", "eventId", "sessionId", "recommendationId", "type", "value", "timestamp", "categories", "tags", "active", "skills", "difficulty", "personalization"];
    private static readonly string[] _types = ["view", "click", "like", "purchase", "rating", "answer", "skip"];
    private static readonly string[] _queryNames =
        ["count", "category", "sessionId", "exclude", "excludeSeen", "explore", "diversity", "popularityPenalty", "goal", "targetSuccess", "itemIds", "x%FF", ""];
    private static readonly string[] _queryValues =
        ["", "0", "-1", "101", "1e400", "NaN", "Infinity", "0.5", "true", "maybe", "practice", "%FF", "%ED%A0%80", "%00", "%25", "a%20b", "%C3%A9", "a,b,,c", new string('9', 400), "%"];
    // No %00: Kestrel refuses a NUL in the path itself, with an empty 400, before the app sees the request.
    private static readonly string[] _badPathValues = ["%FF", "%ED%A0%80", "a%20b", "%C3%A9t%C3%A9", "a%2Fb", new string('x', 300), "%25"];
    private static readonly string?[] _mediaTypes =
        [null, "text/plain", "application/x-www-form-urlencoded", "application/xml", "application/json; charset=utf-16", "multipart/form-data; boundary=b", "application/merge-patch+json", "application/json", "application/x-ndjson"];

    private readonly Random _random = new(Seed);
    private readonly string _prefix = $"fuzz{Guid.NewGuid():N}"[..12];
    private readonly HttpClient _client = gateway.Client();
    private List<string> _ids = [];
    private int _case;

    [Fact]
    public async Task Generated_input_on_every_route_gets_no_5xx_only_problems_and_nothing_of_a_refused_request_is_applied()
    {
        var routes = Routes();
        var logged = gateway.Errors.Entries.Count;
        var (refused, failures, clock) = (new List<string>(), new List<string>(), Stopwatch.StartNew());
        for (_case = 0; _case < MaxCases && clock.Elapsed < _budget; _case++)
        {
            _ids = [];
            var (method, template, mediaType) = routes[_random.Next(routes.Count)];
            using var request = Request(method, template, mediaType);
            // Headers only: a 2xx body may be an endless stream (the dashboard's live trace), and only a refusal's is read.
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            if (status >= 500 || (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json"))
            {
                var answer = await response.Content.ReadAsStringAsync();
                failures.Add($"case {_case}: {method} {request.RequestUri} -> {status} {response.Content.Headers.ContentType}: {answer[..Math.Min(answer.Length, 300)]}");
            }
            else if (status >= 400)
            {
                refused.AddRange(_ids);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {_case} cases failed:\n{string.Join('\n', failures.Take(20))}");
        Assert.True(_case >= 1000, $"only {_case} cases ran in {_budget}");
        var errors = gateway.Errors.Entries.Skip(logged).ToList();
        Assert.True(errors.Count == 0, $"bad input was logged as an error {errors.Count} times:\n{string.Join('\n', errors.Take(5))}");
        using var ready = await _client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.NotEmpty(refused);
        foreach (var id in refused.Distinct().Take(300))
        {
            using var item = await _client.GetAsync($"/v1/items/{id}");
            Assert.True(item.StatusCode == HttpStatusCode.NotFound, $"item {id} of a refused request exists");
            Assert.True((long)(await _client.GetOkAsync($"/v1/users/{id}"))["interactionCount"]! == 0, $"user {id} of a refused request has interactions");
        }
    }

    /// <summary>Every route and method the app maps, with the media type its body is declared in (if any).</summary>
    private List<(string Method, string Template, string? MediaType)> Routes()
    {
        var routes = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method =>
                (method, e.RoutePattern.RawText!, e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.FirstOrDefault())))
            .ToList();
        Assert.Contains(routes, r => r.Item2.Contains("/v1/events", StringComparison.Ordinal));
        return routes;
    }

    private HttpRequestMessage Request(string method, string template, string? mediaType)
    {
        // The framework's document endpoint answers an unknown document name in plain text: it is asked for the one there is.
        var path = RouteParameter().Replace(template, m => m.Value == "{documentName}" ? "v1" : Chance(0.85) ? Id() : Pick(_badPathValues));
        var request = new HttpRequestMessage(new HttpMethod(method), "/" + path.TrimStart('/') + Query());
        if (mediaType is null && !Chance(0.05))
        {
            return request;
        }

        var content = new ByteArrayContent(Mangle(Encoding.UTF8.GetBytes(Body(mediaType))));
        var type = Chance(0.8) ? mediaType : Pick(_mediaTypes);
        content.Headers.ContentType = type is null ? null : MediaTypeHeaderValue.Parse(type);
        request.Content = content;
        return request;
    }

    private string Query()
    {
        if (Chance(0.4))
        {
            return "";
        }

        var parameters = Enumerable.Range(0, _random.Next(1, 6)).Select(_ => $"{Pick(_queryNames)}={(Chance(0.3) ? Id() : Pick(_queryValues))}").ToList();
        if (Chance(0.2))
        {
            parameters.Add(parameters[0]);
        }

        return "?" + string.Join('&', parameters);
    }

    private string Body(string? mediaType) => mediaType switch
    {
        "application/x-ndjson" => string.Join('\n', Enumerable.Range(0, _random.Next(1, 6)).Select(_ => Chance(0.8) ? Record() : Value(0))),
        _ when Chance(0.6) => $"[{string.Join(',', Enumerable.Range(0, _random.Next(1, 6)).Select(_ => Chance(0.85) ? Record() : Value(0)))}]",
        _ when Chance(0.6) => Record(),
        _ => Value(0),
    };

    /// <summary>An object shaped like an item, an event or a consent, with some of its fields replaced, added or repeated.</summary>
    private string Record()
    {
        var fields = new List<(string Name, string Value)>
        {
            ("id", Quote(Id())), ("userId", Quote(Id())), ("itemId", Quote(Id())), ("type", Quote(Pick(_types))), ("personalization", "false"),
        };
        for (var mutations = _random.Next(0, 4); mutations > 0; mutations--)
        {
            var name = _random.Next(10) switch
            {
                0 => "\\ud800",
                1 => new string('n', 5000),
                2 => fields[_random.Next(fields.Count)].Name,
                _ => Pick(_fields),
            };
            fields.Add((name, Value(0)));
        }

        return "{" + string.Join(',', fields.Select(f => $"\"{f.Name}\":{f.Value}")) + "}";
    }

    private string Value(int depth) => _random.Next(20) switch
    {
        0 => "null",
        1 => Chance(0.5) ? "true" : "false",
        2 => "123456789012345678901234567890",
        3 => Chance(0.5) ? "1e400" : "-1e400",
        4 => "-0",
        5 => (_random.NextDouble() * 20 - 10).ToString("R", CultureInfo.InvariantCulture),
        6 => Quote(Pick(["NaN", "Infinity", "-Infinity", "1e400"])),
        7 => Quote(new string('s', _random.Next(256, 20_000))),
        8 => Quote(Pick(["\\ud800", "a\\udc00b", "\\udbff\\u0041", "\\ud83d\\ude00", "caf\\u00e9", "\\u0000"])),
        9 => Quote(Pick(["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "2026-13-45T00:00:00Z", "yesterday", DateTimeOffset.UtcNow.ToString("O")])),
        10 => Quote(""),
        11 => Chance(0.5) ? new string('[', 1000) + new string(']', 1000) : string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000),
        12 when depth < 3 => "[" + string.Join(',', Enumerable.Range(0, _random.Next(0, 5)).Select(_ => Value(depth + 1))) + "]",
        13 when depth < 3 => "{" + string.Join(',', Enumerable.Range(0, _random.Next(0, 5)).Select(_ => $"\"{Pick(_fields)}\":{Value(depth + 1)}")) + "}",
        14 => Quote(Pick(_types)),
        15 => _random.Next(-5, 10).ToString(CultureInfo.InvariantCulture),
        _ => Quote(Id()),
    };

    /// <summary>Now and then bytes that are not UTF-8 (or an encoded surrogate) at a random place, or a truncated body.</summary>
    private byte[] Mangle(byte[] body)
    {
        if (body.Length == 0 || !Chance(0.15))
        {
            return body;
        }

        var at = _random.Next(body.Length);
        return Chance(0.2) ? body[..at] : [.. body[..at], .. Pick<byte[]>([[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]), .. body[at..]];
    }

    /// <summary>A valid id of this run, recorded so that the test can look for what a refused request left.</summary>
    private string Id()
    {
        var id = $"{_prefix}-{_case}-{_ids.Count}";
        _ids.Add(id);
        return id;
    }

    private static string Quote(string text) => $"\"{text}\"";

    private bool Chance(double p) => _random.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> values) => values[_random.Next(values.Count)];

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
