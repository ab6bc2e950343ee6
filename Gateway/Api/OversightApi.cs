using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Telemetry;
using Personalization.Model;
using Personalization.Services;

namespace Personalization.Gateway.Api;

/// <summary>Bias oversight: how exposure is spread over the catalog in the recent window of served recommendations.</summary>
public static class OversightApi
{
    public static RouteGroupBuilder MapOversightApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/admin/oversight", GetAsync).WithName("GetOversight").WithTags("Oversight").RequireApiRole(ApiRole.Admin)
            .WithSummary("Exposure across the catalog in the recent window");
        return v1;
    }

    public sealed record WindowResponse(DateTimeOffset From, DateTimeOffset To, long ServedLists, long Exposures);

    /// <summary>
    /// <c>lorenz</c>: the share of exposures held by the least exposed 0%, 5%, ..., 100% of the active catalog (21
    /// points; the diagonal is equal exposure).
    /// </summary>
    public sealed record OversightResponse(
        WindowResponse Window,
        double Coverage,
        double GiniExposure,
        double PopularityBias,
        double RecommendedPopularityPercentile,
        double InteractedPopularityPercentile,
        Dictionary<string, CategoryExposure> CategoryExposure,
        double[] Lorenz);

    /// <summary>The report; its figures also refresh the exposure gauges.</summary>
    private static async Task<Ok<OversightResponse>> GetAsync(OversightService oversight, GatewayMetrics metrics)
    {
        var report = await oversight.ReportAsync();
        var figures = report.Figures;
        metrics.Oversight(figures);
        return TypedResults.Ok(new OversightResponse(
            new WindowResponse(report.From, report.To, report.ServedLists, report.Exposures),
            figures.Coverage,
            figures.GiniExposure,
            figures.PopularityBias,
            figures.RecommendedPopularityPercentile,
            figures.InteractedPopularityPercentile,
            new Dictionary<string, CategoryExposure>(figures.Categories),
            figures.Lorenz));
    }
}
