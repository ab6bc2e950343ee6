using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Validation;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Api;

/// <summary>
/// The served document (<c>/openapi/v1.json</c>) against the endpoints of the real gateway: what it says of bodies,
/// query parameters and keys is what the validators and filters do.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenApiDocumentTests(GatewayFactory gateway)
{
    private readonly HttpClient _client = gateway.Client();

    [Fact]
    public async Task The_document_and_the_reference_are_open()
    {
        var anonymous = gateway.Client(null);

        using var document = await anonymous.GetAsync("/openapi/v1.json");
        using var reference = await anonymous.GetAsync("/docs/");

        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }

    [Fact]
    public async Task Every_post_and_put_documents_its_body_and_requires_exactly_the_properties_the_validator_requires()
    {
        var operations = (await OperationsAsync()).Where(o => o.Method is "post" or "put").ToList();
        Assert.NotEmpty(operations);
        foreach (var (method, path, operation, document) in operations)
        {
            var name = $"{method} {path}";
            var body = operation["requestBody"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"{name} documents no request body.");
            Assert.True((bool?)body["required"], $"{name}: the body is not marked required.");
            var (contentType, media) = Assert.Single(body["content"]!.AsObject());
            var schema = media!["schema"]!.AsObject();
            var isBatch = (string?)schema["type"] == "array";
            var element = Resolve(document, isBatch ? schema["items"]!.AsObject() : schema);
            string[] required = [.. element["required"]?.AsArray().Select(r => (string)r!) ?? []];
            Assert.True(required.Length > 0, $"{name}: the body schema lists no required property.");
            Assert.All(required, p => Assert.True(element["properties"]!.AsObject().ContainsKey(p), $"{name}: '{p}' is required but not described."));
            AssertResponses(operation, name, "400", "413", "415");

            // An element with nothing in it is refused for each required property, and for nothing else.
            var (text, key) = contentType switch
            {
                "application/x-ndjson" => ("{}\n", (Func<string, string>)(p => $"[0].{p}")),
                _ when isBatch => ("[{}]", p => $"[0].{p}"),
                _ => ("{}", p => p),
            };
            var errors = await ErrorsAsync(method, path, text, contentType);
            Assert.Equal(required.Select(key).Order(), errors.Order());

            if (isBatch)
            {
                var maxItems = (int)schema["maxItems"]!;
                var tooMany = $"[{string.Join(',', Enumerable.Repeat("{}", maxItems + 1))}]";
                Assert.Equal(["$"], await ErrorsAsync(method, path, tooMany, contentType));
                Assert.Equal(1, (int)schema["minItems"]!);
            }
        }
    }

    [Fact]
    public async Task Every_declared_query_parameter_is_documented_with_its_type_bounds_and_default()
    {
        var operations = await OperationsAsync();
        foreach (var (method, path, declared, _) in Endpoints())
        {
            var operation = operations.Single(o => o.Method == method && o.Path == path).Operation;
            var documented = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).Where(p => (string?)p["in"] == "query")
                .ToDictionary(p => (string)p["name"]!) ?? [];
            Assert.Equal(declared.Select(d => d.Name).Order(), documented.Keys.Order());
            foreach (var parameter in declared)
            {
                var doc = documented[parameter.Name];
                var schema = doc["schema"]!.AsObject();
                var where = $"{method} {path} ?{parameter.Name}";
                Assert.True(((string?)doc["description"])?.Length > 0, $"{where} has no description.");
                Assert.Equal(parameter.Required, (bool?)doc["required"] ?? false);
                Assert.Equal(TypeOf(parameter.Kind), (string?)schema["type"]);
                Assert.Equal(JsonSerializer.SerializeToNode(parameter.Default)?.ToJsonString(), schema["default"]?.ToJsonString());
                if (parameter.Kind is QueryKind.Integer or QueryKind.Number)
                {
                    var (min, max) = parameter.ExclusiveBounds ? ("exclusiveMinimum", "exclusiveMaximum") : ("minimum", "maximum");
                    Assert.True(
                        parameter.Minimum == (double?)schema[min] && parameter.Maximum == (double?)schema[max], $"{where}: bounds {schema[min]}..{schema[max]}");
                }

                if (parameter.Kind == QueryKind.IdList)
                {
                    Assert.Equal(parameter.Maximum, (double?)schema["maxItems"]);
                    Assert.Equal(Ids.Pattern, (string?)schema["items"]!["pattern"]);
                }
            }
        }
    }

    [Fact]
    public async Task Every_declared_query_parameter_is_enforced_and_no_endpoint_reads_an_undeclared_one()
    {
        // A handler that reads a parameter its endpoint does not declare fails (500) on every request reaching the read.
        foreach (var (method, path, declared, _) in Endpoints().Where(e => e.Method == "get"))
        {
            var url = Fill(path);
            var bad = string.Join('&', declared.Select(p => $"{p.Name}={Uri.EscapeDataString(OutOfRange(p))}"));
            using var response = await _client.GetAsync($"{url}?{bad}");
            if (declared.Count == 0)
            {
                Assert.True((int)response.StatusCode < 500, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                continue;
            }

            var answer = $"GET {url}?{bad}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, answer);
            var errors = (await response.ProblemAsync())["errors"]!.AsObject();
            Assert.All(declared, p => Assert.True(errors.ContainsKey(p.Name), $"GET {url}: an out-of-range '{p.Name}' was accepted."));

            if (declared.Where(p => p.Required).Select(p => p.Name).ToList() is { Count: > 0 } required)
            {
                using var without = await _client.GetAsync(url);
                Assert.Equal(required.Order(), (await without.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key).Order());
            }
        }
    }

    [Fact]
    public async Task The_api_key_scheme_is_declared_and_required_on_every_operation_with_the_role_it_enforces_and_tokens_where_allowed()
    {
        var operations = await OperationsAsync();
        var scheme = operations[0].Document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal(("apiKey", "header", "X-Api-Key"), ((string?)scheme["type"], (string?)scheme["in"], (string?)scheme["name"]));
        foreach (var (method, path, _, metadata) in Endpoints())
        {
            var operation = operations.Single(o => o.Method == method && o.Path == path).Operation;
            var requirements = metadata.OfType<ApiRoleRequirement>().ToList();
            Assert.True(requirements.Count > 0, $"{method} {path} needs no key.");
            var role = requirements.Max(r => r.Role);
            var schemes = operation["security"]!.AsArray().Select(s => Assert.Single(s!.AsObject()).Key).ToList();
            Assert.Equal(metadata.OfType<UserTokenAccessMetadata>().Any() ? ["ApiKey", "UserToken"] : ["ApiKey"], schemes);
            Assert.Contains($"'{role.ToString().ToLowerInvariant()}' role", (string?)operation["description"]);
            AssertResponses(operation, $"{method} {path}", "401", "403", "429", "503");

            using var anonymous = await gateway.Client(null).SendAsync(new HttpRequestMessage(new HttpMethod(method), Fill(path)));
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} without a key: {(int)anonymous.StatusCode}");
        }
    }

    /// <summary>Every API endpoint of the gateway, as the document names it, with its declared query parameters.</summary>
    private List<(string Method, string Path, List<QueryParameter> Declared, IReadOnlyList<object> Metadata)> Endpoints()
    {
        var endpoints = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetRequiredMetadata<HttpMethodMetadata>().HttpMethods.Select(m => (
                m.ToLowerInvariant(), e.RoutePattern.RawText!.TrimEnd('/'), e.Metadata.OfType<QueryParameter>().ToList(), (IReadOnlyList<object>)e.Metadata)))
            .ToList();
        Assert.True(endpoints.Count >= 15, $"only {endpoints.Count} API endpoints found");
        return endpoints;
    }

    private async Task<List<(string Method, string Path, JsonObject Operation, JsonObject Document)>> OperationsAsync()
    {
        var document = (await _client.GetOkAsync("/openapi/v1.json"))!;
        return [.. document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Select(op => (op.Key, path.Key, op.Value!.AsObject(), document)))];
    }

    private static void AssertResponses(JsonObject operation, string name, params string[] statuses) =>
        Assert.All(statuses, status => Assert.True(operation["responses"]!.AsObject().ContainsKey(status), $"{name} documents no {status}."));

    private static JsonObject Resolve(JsonObject document, JsonObject schema) =>
        schema["$ref"] is { } reference
            ? document["components"]!["schemas"]![((string)reference!).Split('/')[^1]]!.AsObject()
            : schema;

    private async Task<string[]> ErrorsAsync(string method, string path, string body, string contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path)) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        using var response = await _client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} {body[..Math.Min(body.Length, 40)]}: {(int)response.StatusCode}");
        return [.. (await response.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key)];
    }

    /// <summary>The path with every route parameter (all ids) filled with a fresh valid id.</summary>
    private static string Fill(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", _ => Catalog.NewId("doc"));

    private static string TypeOf(QueryKind kind) => kind switch
    {
        QueryKind.Integer => "integer",
        QueryKind.Number => "number",
        QueryKind.Boolean => "boolean",
        QueryKind.IdList => "array",
        _ => "string",
    };

    /// <summary>A value the declaration refuses.</summary>
    private static string OutOfRange(QueryParameter parameter) => parameter.Kind switch
    {
        QueryKind.Integer => (parameter.Maximum!.Value + 1).ToString(CultureInfo.InvariantCulture),
        QueryKind.Number when parameter.ExclusiveBounds => parameter.Maximum!.Value.ToString(CultureInfo.InvariantCulture),
        QueryKind.Number => (parameter.Maximum!.Value + 1).ToString(CultureInfo.InvariantCulture),
        QueryKind.Boolean => "maybe",
        QueryKind.Id => "not an id",
        QueryKind.Label => new string('x', Ids.MaxLength + 1),
        QueryKind.IdList => string.Join(',', Enumerable.Range(0, (int)parameter.Maximum!.Value + 1).Select(i => $"i{i}")),
        QueryKind.Choice => $"not-{parameter.Allowed[0]}",
        _ => throw new ArgumentOutOfRangeException(nameof(parameter)),
    };
}
