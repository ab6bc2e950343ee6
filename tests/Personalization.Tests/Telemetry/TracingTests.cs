using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Personalization.Silo.Journal;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Telemetry;

/// <summary>A request's trace, as the in-memory exporter receives it: from ASP.NET Core through grain calls to the journal.</summary>
public sealed class TracingTests : IClassFixture<TracingTests.TracedGatewayFactory>
{
    private readonly TracedGatewayFactory _gateway;

    public TracingTests(TracedGatewayFactory gateway) => _gateway = gateway;

    [Fact]
    public async Task One_post_of_events_is_one_span_with_children_for_the_grain_calls_and_the_journal_commit()
    {
        var client = _gateway.Client();
        await client.PostItemsAsync(new { id = "t-1", categories = new[] { "a" } });

        await client.PostEventsAsync(new { eventId = "te-1", userId = "tu", itemId = "t-1", type = "click" });

        // The server span ends once the answer is written, which the client may see first. The exporter hears every
        // gateway of this test process (listeners are process-wide), so this one's request is told apart by its port.
        var port = client.BaseAddress!.Port.ToString(CultureInfo.InvariantCulture);
        bool IsPostHere(Activity span) => IsPost(span) && Convert.ToString(span.GetTagItem("server.port"), CultureInfo.InvariantCulture) == port;
        var spans = await SpansAsync(spans => spans.Any(IsPostHere));
        var post = Assert.Single(spans, IsPostHere);
        var trace = spans.Where(s => s.TraceId == post.TraceId).ToArray();
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("IUserGrain", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Name == GroupCommitJournal.ActivitySourceName);
        // The test's own HTTP client span is the request's parent; everything else is below the request.
        Assert.All(trace.Where(s => s != post && s.SpanId != post.ParentSpanId), s => Assert.True(IsBelow(s, post, trace), $"{s.DisplayName} is not below the request's span"));
    }

    private static bool IsPost(Activity span) => span.DisplayName == "POST /v1/events" && span.Kind == ActivityKind.Server;

    /// <summary>The spans exported so far, once <paramref name="complete"/> holds for them or after 30 s.</summary>
    private async Task<Activity[]> SpansAsync(Func<Activity[], bool> complete)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            _gateway.Services.GetRequiredService<TracerProvider>().ForceFlush();
            Activity[] spans = [.. _gateway.Spans];
            if (complete(spans) || DateTime.UtcNow > until)
            {
                return spans;
            }

            await Task.Delay(100);
        }
    }

    private static bool IsBelow(Activity span, Activity root, Activity[] trace)
    {
        for (var parent = span.ParentSpanId; parent != default; parent = trace.FirstOrDefault(s => s.SpanId == parent)?.ParentSpanId ?? default)
        {
            if (parent == root.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The standalone gateway with traces on and an in-memory exporter instead of OTLP.</summary>
    public sealed class TracedGatewayFactory : GatewayFactory
    {
        public List<Activity> Spans { get; } = [];

        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Telemetry:Traces", "true")];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans)));
        }
    }
}
