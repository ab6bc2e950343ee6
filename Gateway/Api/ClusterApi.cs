using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Gateway.Auth;
using Personalization.Services;

namespace Personalization.Gateway.Api;

/// <summary>The cluster as an operator sees it: silos with their status and activations, catalog shards with their items.</summary>
public static class ClusterApi
{
    public static RouteGroupBuilder MapClusterApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/admin/cluster", GetAsync).WithName("GetCluster").WithTags("Cluster").RequireApiRole(ApiRole.Admin)
            .WithSummary("Silos and catalog shards");
        return v1;
    }

    private static async Task<Ok<ClusterOverview>> GetAsync(ClusterOverviewService cluster) => TypedResults.Ok(await cluster.GetAsync());
}
