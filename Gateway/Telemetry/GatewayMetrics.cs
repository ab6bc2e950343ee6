using System.Diagnostics.Metrics;
using Personalization.Model;

namespace Personalization.Gateway.Telemetry;

/// <summary>The outcome of one event sent to <c>POST /v1/events</c>: the <c>outcome</c> label of the events counter.</summary>
public enum EventOutcome
{
    Accepted,
    Duplicate,
    Rejected,
}

/// <summary>
/// The gateway's own instruments (meter <see cref="MeterName"/>): events by outcome, recommendation latency per
/// route, rate-limit rejections, and the last exposure oversight figures as gauges. Recording allocates nothing.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Personalization.Gateway";

    private static readonly KeyValuePair<string, object?>[] _outcomes =
        [.. Enum.GetValues<EventOutcome>().Select(o => new KeyValuePair<string, object?>("outcome", o.ToString().ToLowerInvariant()))];

    private readonly Counter<long> _events;
    private readonly Histogram<double> _recommendationDuration;
    private readonly Counter<long> _rateLimited;

    /// <summary>The last oversight figures; null until a report has been made.</summary>
    private ExposureReport? _exposure;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _events = meter.CreateCounter<long>("personalization.events", "{event}", "Events received, by outcome: accepted, duplicate or rejected (in a refused batch)");
        _recommendationDuration = meter.CreateHistogram<double>("personalization.recommendation.duration", "s", "Time to answer a list of items, by route",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _rateLimited = meter.CreateCounter<long>("personalization.rate_limit.rejections", "{request}", "Requests refused with 429, by limit");
        meter.CreateObservableGauge("personalization.exposure.coverage", () => Exposure(e => e.Coverage), "1", "Share of the catalog served in the oversight window");
        meter.CreateObservableGauge("personalization.exposure.gini", () => Exposure(e => e.GiniExposure), "1", "Gini coefficient of exposure over the catalog in the oversight window");
    }

    public void Events(EventOutcome outcome, int count)
    {
        if (count > 0)
        {
            _events.Add(count, _outcomes[(int)outcome]);
        }
    }

    public void RecommendationServed(string route, TimeSpan duration) =>
        _recommendationDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("route", route));

    public void RateLimited(string limit) => _rateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void Oversight(ExposureReport figures) => _exposure = figures;

    private IEnumerable<Measurement<double>> Exposure(Func<ExposureReport, double> figure) =>
        _exposure is { } exposure ? [new Measurement<double>(figure(exposure))] : [];
}
